import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import type { AlertLine } from '../../client/detect/alert-lines.js';
import { ecsProblems } from '../helpers/ecs.js';
import { errorLines, logEvents, runCli } from '../helpers/run-cli.js';
import { synthLogs } from '../helpers/synth-logs.js';

describe('fedflow synth -> train -> evaluate -> score on synthetic flows', function () {
  this.timeout(240_000);
  let dir: string;
  const file = (name: string) => join(dir, name);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-e2e-'));
    await synthLogs([
      { file: file('train.log'), seed: 1, attackShare: 0, flows: 20000 },
      { file: file('test.log'), seed: 2, attackShare: 0.05, flows: 8000 },
    ]);
    const trained = await runCli([
      'train',
      '--data',
      file('train.log'),
      '--format',
      'zeek',
      '--epochs',
      '12',
      '--out',
      file('model'),
    ]);
    expect(trained.code, trained.stderr).to.equal(0);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('detects the injected attacks far better than chance', async () => {
    const r = await runCli([
      'evaluate',
      '--model',
      file('model'),
      '--data',
      file('test.log'),
      '--format',
      'zeek',
      '--json',
      file('eval.json'),
      '--roc',
      file('roc.svg'),
    ]);
    expect(r.code, r.stderr).to.equal(0);
    const evaluation = JSON.parse(readFileSync(file('eval.json'), 'utf8'));
    expect(evaluation.flows).to.equal(8000);
    expect(evaluation.auroc).to.be.greaterThan(0.9);
    expect(evaluation.thresholds).to.have.length(2);
    expect(evaluation.thresholds[0].tpr).to.be.greaterThan(0.5);
    expect(evaluation.thresholds[0].fpr).to.be.lessThan(0.05);
    expect(r.stdout).to.match(/AUROC/);
    expect(readFileSync(file('roc.svg'), 'utf8')).to.match(/^<svg|<\?xml/);
  });

  it('writes one alert line per input row, in input order, with the fields that explain it', async () => {
    const r = await runCli([
      'score',
      '--model',
      file('model'),
      '--data',
      file('test.log'),
      '--format',
      'zeek',
      '--out',
      file('alerts.jsonl'),
      '--metrics-file',
      file('score.prom'),
    ]);
    expect(r.code, r.stderr).to.equal(0);
    const lines = readFileSync(file('alerts.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AlertLine);
    expect(lines).to.have.length(8000);
    expect(lines.map((l) => l.row)).to.deep.equal(lines.map((_, i) => i + 1));
    const first = lines[0]!;
    expect(lines[1]!.line).to.be.greaterThan(first.line);
    expect(first).to.have.keys([
      'row',
      'file',
      'line',
      'score',
      'alerts',
      'top',
      'label',
      'flow',
      'model',
    ]);
    expect(first.flow).to.have.keys([
      'ts',
      'uid',
      'src_addr',
      'src_port',
      'dst_addr',
      'dst_port',
      'proto',
    ]);
    expect(Object.keys(first.alerts)).to.deep.equal(['fpr_1pct', 'fpr_0_1pct']);
    expect(first.top).to.have.length(3);
    expect(first.top[0]).to.have.keys(['field', 'value', 'category', 'probability', 'nats']);
    const metrics = readFileSync(file('score.prom'), 'utf8');
    expect(metrics).to.match(/fedflow_site_flows_scored_total 8000/);
    expect(metrics).to.match(/fedflow_site_alerts_total \d+/);
    const attacks = lines.filter((l) => l.label !== 'normal');
    const alerted = attacks.filter((l) => l.alerts.fpr_1pct).length;
    expect(alerted / attacks.length).to.be.greaterThan(0.5);
  });

  it('scores flows piped to standard input with --data -, plain or gzipped, as it scores the file', async () => {
    const score = ['score', '--model', file('model'), '--format', 'zeek'];
    const fromFile = await runCli([...score, '--data', file('test.log'), '--out', '-']);
    expect(fromFile.code, fromFile.stderr).to.equal(0);
    const log = readFileSync(file('test.log'));
    for (const input of [log, gzipSync(log)]) {
      const piped = await runCli([...score, '--data', '-', '--out', '-'], {}, input);
      expect(piped.code, piped.stderr).to.equal(0);
      const lines = piped.stdout.trim().split('\n');
      expect(lines).to.have.length(8000);
      expect(lines.every((l) => JSON.parse(l).file === '/dev/stdin')).to.equal(true);
      // The same lines but for the file they name.
      const named = JSON.stringify(file('test.log'));
      expect(piped.stdout.replaceAll('"/dev/stdin"', named)).to.equal(fromFile.stdout);
    }
  });

  it('writes only the alerts, as Elastic Common Schema documents, with --output ecs --alerts-only', async () => {
    const score = ['score', '--model', file('model'), '--data', file('test.log')];
    const r = await runCli([
      ...score,
      '--format',
      'zeek',
      '--output',
      'ecs',
      '--alerts-only',
      '--out',
      '-',
    ]);
    expect(r.code, r.stderr).to.equal(0);
    const documents = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const alerts = Number(/(\d+) crossed a threshold/.exec(r.stderr)![1]);

    expect(documents).to.have.length(alerts).and.to.have.length.greaterThan(0);
    expect(documents.every((d) => d.event.kind === 'alert')).to.equal(true);
    expect(documents.flatMap((d) => ecsProblems(d, 'fedflow'))).to.deep.equal([]);
  });

  it('fails with one clear line when the model directory does not exist', async () => {
    const r = await runCli([
      'score',
      '--model',
      file('nope'),
      '--data',
      file('test.log'),
      '--format',
      'zeek',
      '--out',
      file('x.jsonl'),
    ]);
    expect(r.code).to.equal(1);
    expect(errorLines(r)).to.match(/^model directory .*nope: missing integrity\.json/);
  });

  it('refuses to score with importance samples against thresholds placed on the ELBO, naming both, writing nothing', async () => {
    const thresholds = JSON.parse(readFileSync(file('model/thresholds.json'), 'utf8'));
    expect(thresholds.importanceSamples).to.equal(0);
    const r = await runCli([
      'score',
      '--model',
      file('model'),
      '--data',
      file('test.log'),
      '--format',
      'zeek',
      '--importance-samples',
      '4',
      '--out',
      file('mixed.jsonl'),
    ]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include(
      'its thresholds were placed on scores from the ELBO (no importance samples); scoring with 4 importance samples would apply them to another score',
    );
    expect(readdirSync(dir)).not.to.include('mixed.jsonl');
  });

  it('fails clearly when the input does not match the model schema', async () => {
    const r = await runCli([
      'score',
      '--model',
      file('model'),
      '--data',
      file('test.log'),
      '--format',
      'nsl-kdd',
      '--out',
      file('x.jsonl'),
    ]);
    expect(r.code).to.equal(1);
    expect(errorLines(r)).to.not.equal('');
  });

  describe('a failed command destroys nothing that was there', () => {
    const score = (data: string, format: string, out: string) =>
      runCli(['score', '--model', file('model'), '--data', data, '--format', format, '--out', out]);

    it('leaves an existing --out file as it was when scoring fails midway or at once', async () => {
      const out = file('kept.jsonl');
      const yesterday = '{"row":1,"line":2,"score":3.5,"alerts":{},"top":[]}\n';
      writeFileSync(out, yesterday);
      // A malformed file after a good one: scoring starts, writes, then fails.
      writeFileSync(file('garbage.log'), 'not a zeek log\n'.repeat(100));
      for (const [data, format] of [
        [[file('test.log'), file('garbage.log')], 'zeek'],
        [[file('test.log')], 'nsl-kdd'],
        [[file('missing.log')], 'zeek'],
      ] as const) {
        const r = await runCli([
          'score',
          '--model',
          file('model'),
          '--data',
          ...data,
          '--format',
          format,
          '--out',
          out,
        ]);
        expect(r.code, r.stderr).to.equal(1);
        expect(readFileSync(out, 'utf8')).to.equal(yesterday);
      }
      expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).to.deep.equal([]);
    });

    it('reports an --out in a missing directory as one line, with no stack trace and no work done', async () => {
      const r = await score(file('test.log'), 'zeek', file('no/such/dir/x.jsonl'));
      expect(r.code).to.equal(1);
      expect(logEvents(r.stderr).map((e) => [e.level, e.msg])).to.deep.equal([
        [
          50,
          `cannot write ${file('no/such/dir/x.jsonl')}: directory ${file('no/such/dir')} does not exist`,
        ],
      ]);
      expect(r.stderr.split('\n').filter(Boolean)).to.have.length(1);
    });

    it('refuses to train onto an existing regular file or a directory of other things, before training', async () => {
      const notes = file('notes.txt');
      writeFileSync(notes, 'mine\n');
      const other = file('photos');
      mkdirSync(other);
      writeFileSync(join(other, 'cat.jpg'), 'meow');
      for (const [out, why] of [
        [notes, 'exists and is not a directory'],
        [other, 'exists and is not a fedflow model directory (no integrity.json)'],
      ] as const) {
        const r = await runCli([
          'train',
          '--data',
          file('train.log'),
          '--format',
          'zeek',
          '--epochs',
          '1',
          '--out',
          out,
        ]);
        expect(r.code).to.equal(1);
        expect(r.stderr).to.include(`model directory ${out}: ${why}; refusing to replace it`);
        expect(r.stderr).to.not.match(/epoch/);
      }
      expect(readFileSync(notes, 'utf8')).to.equal('mine\n');
      expect(readFileSync(join(other, 'cat.jpg'), 'utf8')).to.equal('meow');
    });

    it('refuses to replace a file that is not what the command writes, before any work', async () => {
      const essay = file('essay.txt');
      writeFileSync(essay, 'my thesis\n');
      const scored = await score(file('test.log'), 'zeek', essay);
      expect(scored.code).to.equal(1);
      expect(errorLines(scored)).to.include(
        `cannot write ${essay}: it exists and is not a fedflow alerts file (JSON lines starting {"row": or, in ECS, {"@timestamp":); refusing to replace it`,
      );
      const synth = await runCli(['synth', '--profile', 'web', '--flows', '10', '--out', essay]);
      expect(synth.code).to.equal(1);
      expect(synth.stderr).to.include('it exists and is not a Zeek log (starting #separator)');
      const evaluated = await runCli([
        'evaluate',
        '--model',
        file('model'),
        '--data',
        file('test.log'),
        '--format',
        'zeek',
        '--json',
        essay,
      ]);
      expect(evaluated.code).to.equal(1);
      expect(evaluated.stderr).to.include('it exists and is not an evaluation report');
      expect(evaluated.stdout).to.not.match(/AUROC/); // refused before the work
      expect(readFileSync(essay, 'utf8')).to.equal('my thesis\n');
    });

    it('replaces an earlier ECS alerts file, which it recognises as its own', async () => {
      const out = file('alerts.ecs.jsonl');
      const args = [
        'score',
        '--model',
        file('model'),
        '--data',
        file('test.log'),
        '--format',
        'zeek',
      ];
      for (let run = 0; run < 2; run++) {
        const r = await runCli([...args, '--output', 'ecs', '--alerts-only', '--out', out]);
        expect(r.code, r.stderr).to.equal(0);
      }
      expect(readFileSync(out, 'utf8')).to.match(/^\{"@timestamp":/);
    });

    it('writes the whole report when it succeeds, replacing the file', async () => {
      const out = file('kept.jsonl');
      const r = await score(file('test.log'), 'zeek', out);
      expect(r.code, r.stderr).to.equal(0);
      expect(readFileSync(out, 'utf8').trim().split('\n')).to.have.length(8000);
    });
  });
});
