import { execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EcsVersion } from '@elastic/ecs';
import { expect } from 'chai';
import { type AlertLine, alertKey } from '../../../client/detect/alert-lines.js';
import { StartedEncodeWorker } from '../../../client/detect/encoded-batches.js';
import { openModel } from '../../../client/detect/loaded-model.js';
import { scoreFlowFiles } from '../../../client/detect/score-flows.js';
import { writeAlertLines } from '../../../client/detect/write-alerts.js';
import { fitEncoder } from '../../../shared/encoding/fit-encoder.js';
import { EncoderSketch } from '../../../shared/encoding/sketch.js';
import { readFlowFiles } from '../../../shared/flows/readers.js';
import type { RowIssue } from '../../../shared/flows/schema.js';
import { writeSyntheticConnLog } from '../../../shared/flows/synth/index.js';
import { createModel } from '../../../shared/model/create-model.js';
import { saveModelDir, sha256Hex } from '../../../shared/model/model-dir.js';
import { initBackend } from '../../../shared/runtime/backend.js';
import { ecsDefinesNamespace, ecsProblems } from '../../helpers/ecs.js';

describe('scoring flow files through the encode worker', function () {
  this.timeout(60_000);
  let dir: string;
  const file = (name: string) => join(dir, name);

  before(async () => {
    await initBackend();
    dir = mkdtempSync(join(tmpdir(), 'fedflow-score-'));
    await writeSyntheticConnLog(file('flows.log'), {
      profile: 'internal',
      flows: 5000,
      seed: 4,
      attackShare: 0.1,
    });
    const source = await readFlowFiles([file('flows.log')], 'zeek');
    const sketch = new EncoderSketch(source.schema.fields);
    for await (const row of source.rows) sketch.add(row);
    const fresh = createModel(
      source.schema,
      fitEncoder(sketch),
      { hidden: [8], latent: { kind: 'gaussian', dim: 2 } },
      1,
    );
    saveModelDir(file('model'), {
      spec: fresh.spec,
      weights: fresh.weights,
      thresholds: {
        source: 'local-calibration',
        calibrationFlows: 1,
        targets: [{ fpr: 0.01, threshold: 30 }],
      },
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('scores every row exactly once, in input order, across batches', async () => {
    const loaded = openModel(file('model'));
    const lines: number[] = [];
    const firsts: number[] = [];
    const summary = await scoreFlowFiles(
      loaded,
      [file('flows.log')],
      'zeek',
      {},
      {},
      ({ batch, result, firstIndex }) => {
        expect(result.scores).to.have.length(batch.count);
        firsts.push(firstIndex);
        lines.push(...batch.lines);
      },
    );
    expect(summary.rowsScored).to.equal(5000);
    expect(lines).to.have.length(5000);
    expect(lines.every((line, i) => i === 0 || line > lines[i - 1]!)).to.equal(true);
    expect(firsts[1]).to.equal(2048);
    loaded.model.dispose();
  });

  it('gives the same scores with an encode worker started before the model was loaded', async () => {
    const encodeWorker = new StartedEncodeWorker();
    const loaded = openModel(file('model'));
    const scores = async (options: { encodeWorker?: StartedEncodeWorker }) => {
      const all: number[] = [];
      await scoreFlowFiles(loaded, [file('flows.log')], 'zeek', {}, options, ({ result }) => {
        all.push(...result.scores);
      });
      return all;
    };
    const ahead = await scores({ encodeWorker });
    expect(ahead).to.have.length(5000);
    expect(ahead).to.deep.equal(await scores({}));
    expect(() => encodeWorker.take()).to.throw('one job only');
    loaded.model.dispose();
  });

  it('does not wait for an encode worker started ahead that is never used', () => {
    const module = new URL('../../../client/detect/encoded-batches.ts', import.meta.url).href;
    const started = Date.now();
    // A child process that starts one and ends: an unused worker must not keep it running.
    execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import(${JSON.stringify(module)}).then((m) => new m.StartedEncodeWorker())`,
      ],
      { timeout: 30_000 },
    );
    expect(Date.now() - started).to.be.below(30_000);
  });

  it('relays malformed rows to the caller and still scores the good ones', async () => {
    const bad = file('with-bad.log');
    appendFileSync(
      bad,
      readFileSync(file('flows.log'), 'utf8').replace(
        '#close',
        'garbage row with too few columns\n#close',
      ),
    );
    const issues: RowIssue[] = [];
    const loaded = openModel(file('model'));
    const summary = await scoreFlowFiles(
      loaded,
      [bad],
      'zeek',
      { onBadRow: (i) => issues.push(i) },
      {},
      () => {},
    );
    expect(summary.rowsScored).to.equal(5000);
    expect(summary.badRows).to.equal(1);
    expect(issues).to.have.length(1);
    expect(issues[0]!.file).to.equal(bad);
    loaded.model.dispose();
  });

  it('re-throws a read failure from the worker with the file named', async () => {
    const loaded = openModel(file('model'));
    let error: Error | null = null;
    await scoreFlowFiles(loaded, [file('missing.log')], 'zeek', {}, {}, () => {}).catch(
      (e: Error) => {
        error = e;
      },
    );
    expect(error).to.be.an('error');
    expect(String(error)).to.include('missing.log');
    loaded.model.dispose();
  });

  it('writes alert lines with numeric values as numbers and categorical ones as strings', async () => {
    const loaded = openModel(file('model'));
    const summary = await writeAlertLines(
      loaded,
      [file('flows.log')],
      'zeek',
      {},
      { topFields: 41 },
      file('alerts.jsonl'),
    );
    const lines = readFileSync(file('alerts.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).to.have.length(5000);
    const top = lines[0].top as { field: string; value: unknown }[];
    expect(top.find((t) => t.field === 'proto')!.value).to.be.a('string');
    expect(top.find((t) => t.field === 'orig_pkts')!.value).to.be.a('number');
    expect(summary.alerts).to.equal(lines.filter((l) => l.alerts.fpr_1pct).length);
    loaded.model.dispose();
  });

  it('names the flow on every alert line: its timestamp, uid, addresses and ports as logged', async () => {
    const loaded = openModel(file('model'));
    await writeAlertLines(
      loaded,
      [file('flows.log')],
      'zeek',
      {},
      { topFields: 3 },
      file('named.jsonl'),
    );
    const [first] = readFileSync(file('named.jsonl'), 'utf8').split('\n');
    const logged = readFileSync(file('flows.log'), 'utf8')
      .split('\n')
      .find((line) => !line.startsWith('#'))!
      .split('\t');

    const [ts, uid, srcAddr, srcPort, dstAddr, dstPort, proto] = logged;
    expect(JSON.parse(first!).flow).to.deep.equal({
      ts: Number(ts),
      uid,
      src_addr: srcAddr,
      src_port: Number(srcPort),
      dst_addr: dstAddr,
      dst_port: Number(dstPort),
      proto,
    });
    loaded.model.dispose();
  });

  it('says on every line which file and line the flow came from, and which model scored it', async () => {
    const loaded = openModel(file('model'));
    copyFileSync(file('flows.log'), file('rotated.log'));
    const files = [file('flows.log'), file('rotated.log')];
    await writeAlertLines(loaded, files, 'zeek', {}, { topFields: 1 }, file('two.jsonl'));
    const lines = readFileSync(file('two.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AlertLine);

    expect(lines).to.have.length(10_000);
    // The same line of each file: once as the first file's, once as the second's.
    expect(lines[0]!.line).to.equal(lines[5000]!.line);
    expect([lines[0]!.file, lines[4999]!.file, lines[5000]!.file]).to.deep.equal([
      file('flows.log'),
      file('flows.log'),
      file('rotated.log'),
    ]);
    const digest = sha256Hex(readFileSync(file('model/weights.bin'))).slice(0, 16);
    expect(lines.every((l) => l.model.digest === digest && l.model.version === undefined)).to.equal(
      true,
    );
    loaded.model.dispose();
  });

  it('keys thresholds without dots (fpr_1pct, fpr_0_1pct), as a SIEM would otherwise nest them', () => {
    expect([0.01, 0.001, 0.05, 0.0005].map(alertKey)).to.deep.equal([
      'fpr_1pct',
      'fpr_0_1pct',
      'fpr_5pct',
      'fpr_0_05pct',
    ]);
  });

  it('writes only the flows that cross a threshold with alertsOnly, counting the same alerts', async () => {
    const loaded = openModel(file('model'));
    const all = await writeAlertLines(
      loaded,
      [file('flows.log')],
      'zeek',
      {},
      { topFields: 1 },
      file('all.jsonl'),
    );
    const only = await writeAlertLines(
      loaded,
      [file('flows.log')],
      'zeek',
      {},
      { topFields: 1, alertsOnly: true },
      file('only.jsonl'),
    );
    const alerted = readFileSync(file('all.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .filter((l) => (JSON.parse(l) as AlertLine).alerts.fpr_1pct);

    expect(only.alerts).to.equal(all.alerts).and.to.be.greaterThan(0);
    expect(readFileSync(file('only.jsonl'), 'utf8').trim().split('\n')).to.deep.equal(alerted);
    loaded.model.dispose();
  });

  it('writes Elastic Common Schema documents whose every field ECS defines, of its type and allowed values', async () => {
    const loaded = openModel(file('model'));
    const summary = await writeAlertLines(
      loaded,
      [file('flows.log')],
      'zeek',
      {},
      { topFields: 2, output: 'ecs' },
      file('ecs.jsonl'),
    );
    const documents = readFileSync(file('ecs.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const logged = readFileSync(file('flows.log'), 'utf8')
      .split('\n')
      .find((line) => !line.startsWith('#'))!
      .split('\t');

    expect(documents).to.have.length(5000);
    expect(ecsDefinesNamespace('fedflow')).to.equal(false);
    expect(documents.flatMap((d) => ecsProblems(d, 'fedflow'))).to.deep.equal([]);
    const alerts = documents.filter((d) => d.event.kind === 'alert');
    expect(alerts).to.have.length(summary.alerts).and.to.have.length.greaterThan(0);
    expect(alerts.every((d) => d.rule.name === 'fedflow fpr_1pct')).to.equal(true);
    const first = documents[0];
    expect(first.ecs.version).to.equal(EcsVersion);
    expect(first['@timestamp']).to.equal(new Date(Number(logged[0]) * 1000).toISOString());
    expect(first.event.id).to.equal(logged[1]);
    expect([first.source.ip, first.source.port]).to.deep.equal([logged[2], Number(logged[3])]);
    expect(first.destination.port).to.equal(Number(logged[5]));
    const lines = readFileSync(file('flows.log'), 'utf8').split('\n');
    expect(first.fedflow.line).to.equal(lines.findIndex((line) => !line.startsWith('#')) + 1);
    loaded.model.dispose();
  });

  it('has an ECS check that refuses unknown fields, wrong types, values ECS does not allow and missing arrays', () => {
    const wrong = {
      event: { kind: 'warning', category: 'network', risk_score: 'high' },
      source: { ip: 'gateway.local' },
      made_up: 1,
      fedflow: { anything: true },
    };
    expect(ecsProblems(wrong, 'fedflow')).to.deep.equal([
      'event.kind: "warning" is not one of alert, asset, enrichment, event, metric, state, pipeline_error, signal',
      'event.category: ECS expects an array',
      'event.risk_score: "high" is not a float',
      'source.ip: "gateway.local" is not a ip',
      'made_up: not an ECS field',
    ]);
  });
});
