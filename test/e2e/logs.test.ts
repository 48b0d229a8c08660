import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { type CliResult, logEvents, runCli } from '../helpers/run-cli.js';
import { synthLogs } from '../helpers/synth-logs.js';

/** Every stderr line of a run is a JSON log event with a numeric level; returns them. */
function jsonLogLines(r: CliResult) {
  const lines = r.stderr.split('\n').filter(Boolean);
  for (const line of lines) {
    const event = JSON.parse(line);
    expect(event.level, line).to.be.a('number');
    expect(event.msg, line).to.be.a('string');
  }
  return logEvents(r.stderr);
}

describe('fedflow logs: one JSON stream with real levels for train, score and evaluate', function () {
  this.timeout(180_000);
  let dir: string;
  const file = (name: string) => join(dir, name);
  const json = { FEDFLOW_LOG_FORMAT: 'json' };
  const train = (extra: string[]) =>
    runCli(
      ['train', '--data', file('train.log'), '--format', 'zeek', '--epochs', '2', ...extra],
      json,
    );
  const score = (extra: string[]) =>
    runCli(
      ['score', '--model', file('model'), '--data', file('test.log'), '--format', 'zeek', ...extra],
      json,
    );
  const evaluate = (extra: string[]) =>
    runCli(
      [
        'evaluate',
        '--model',
        file('model'),
        '--data',
        file('test.log'),
        '--format',
        'zeek',
        ...extra,
      ],
      json,
    );

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-logs-'));
    // Few calibration flows: training warns that they cannot back the thresholds well.
    await synthLogs([
      { file: file('train.log'), seed: 1, attackShare: 0, flows: 3000 },
      { file: file('test.log'), seed: 2, attackShare: 0.05, flows: 2000 },
    ]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('logs every line of train as JSON: facts at 30, warnings at 40, and no TensorFlow.js banner', async () => {
    // The CPU backend is the one that prints a "Hi, looks like you are running" banner.
    const r = await train(['--backend', 'cpu', '--out', file('model')]);
    expect(r.code, r.stderr).to.equal(0);
    const events = jsonLogLines(r);
    expect(r.stderr).to.not.match(/Hi, looks like|tfjs-node for more details/);
    expect(events.map((e) => e.msg)).to.include(
      'TensorFlow.js backend: cpu (forced by configuration)',
    );
    const epochs = events.filter((e) => e.msg === 'epoch finished');
    expect(epochs.map((e) => [e.level, e.epoch, e.epochs])).to.deep.equal([
      [30, 1, 2],
      [30, 2, 2],
    ]);
    expect(epochs[1]!.loss).to.be.a('number');
    const warnings = events.filter((e) => e.level === 40).map((e) => e.msg);
    expect(warnings.some((m) => /calibration flows/.test(m))).to.equal(true);
    expect(warnings.every((m) => !m.startsWith('warning: '))).to.equal(true);
    expect(r.stdout).to.equal(`${file('model')}\n`);
  });

  it('keeps only warnings and errors with --quiet, given after the command or before it', async () => {
    const after = await train(['--out', file('quiet-model'), '--quiet']);
    expect(after.code, after.stderr).to.equal(0);
    const levels = jsonLogLines(after).map((e) => e.level);
    expect(levels).to.not.be.empty;
    expect(levels.every((l) => l >= 40)).to.equal(true);

    const before = await runCli(
      [
        '--quiet',
        'evaluate',
        '--model',
        file('model'),
        '--data',
        file('test.log'),
        '--format',
        'zeek',
      ],
      json,
    );
    expect(before.code, before.stderr).to.equal(0);
    expect(jsonLogLines(before).every((e) => e.level >= 40)).to.equal(true);
    expect(before.stdout).to.match(/AUROC/);
  });

  it('writes only alert lines on the stdout of score, its log lines on stderr', async () => {
    const r = await score(['--out', '-']);
    expect(r.code, r.stderr).to.equal(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).to.have.length(2000);
    for (const line of lines) expect(JSON.parse(line)).to.include.keys('row', 'score', 'alerts');
    const events = jsonLogLines(r);
    // The model's thresholds rest on few calibration flows: score warns of it, at 40.
    expect(events.map((e) => e.level)).to.include.members([30, 40]);
    expect(events.at(-1)!.msg).to.match(/^scored 2000 flows .* crossed a threshold$/);
  });

  it('logs nothing below the level asked by --log-level or FEDFLOW_LOG_LEVEL', async () => {
    const warnOnly = await evaluate(['--log-level', 'warn']);
    expect(warnOnly.code, warnOnly.stderr).to.equal(0);
    expect(jsonLogLines(warnOnly)).to.deep.equal([]);
    const silent = await runCli(
      [
        'score',
        '--model',
        file('model'),
        '--data',
        file('test.log'),
        '--format',
        'zeek',
        '--out',
        file('a.jsonl'),
      ],
      { ...json, FEDFLOW_LOG_LEVEL: 'silent' },
    );
    expect(silent.code, silent.stderr).to.equal(0);
    expect(silent.stderr).to.equal('');
  });

  it('ends a run on bad input with one error event at level 50 naming the file', async () => {
    writeFileSync(file('garbage.log'), 'not a zeek log\n'.repeat(300));
    const r = await runCli(
      [
        'score',
        '--model',
        file('model'),
        '--data',
        file('garbage.log'),
        '--format',
        'zeek',
        '--out',
        '-',
      ],
      json,
    );
    expect(r.code).to.equal(1);
    expect(r.stdout).to.equal('');
    const events = jsonLogLines(r);
    expect(events.at(-1)!.level).to.equal(50);
    expect(events.at(-1)!.msg).to.include(file('garbage.log'));
  });

  it('refuses --quiet with --log-level, and an unknown level, as one error event at level 50', async () => {
    for (const args of [
      ['--quiet', '--log-level', 'debug'],
      ['--log-level', 'loud'],
    ]) {
      const r = await score([...args, '--out', '-']);
      expect(r.code).to.equal(1);
      // No usage help for a JSON consumer: the error alone.
      expect(jsonLogLines(r).map((e) => e.level)).to.deep.equal([50]);
    }
    const r = await runCli(['synth', '--flows', '10', '--out', file('x.log')], {
      FEDFLOW_LOG_LEVEL: 'loud',
    });
    expect(r.code).to.equal(1);
    expect(jsonLogLines(r).map((e) => [e.level, e.msg])).to.deep.equal([
      [
        50,
        "FEDFLOW_LOG_LEVEL: unknown value 'loud': expected one of trace, debug, info, warn, error, fatal, silent",
      ],
    ]);
  });
});
