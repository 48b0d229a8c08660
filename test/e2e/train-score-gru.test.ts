import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { runCli } from '../helpers/run-cli.js';
import { synthLogs } from '../helpers/synth-logs.js';

describe('fedflow train --model-kind gru, then evaluate and score a Zeek conn.log', function () {
  this.timeout(300_000);
  let dir: string;
  const file = (name: string) => join(dir, name);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-gru-'));
    await synthLogs([
      { file: file('train.log'), seed: 1, attackShare: 0, flows: 6000 },
      { file: file('test.log'), seed: 2, attackShare: 0.05, flows: 3000 },
    ]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('trains a gru whose model directory records its kind and per-host history settings', async () => {
    const r = await runCli([
      'train',
      '--data',
      file('train.log'),
      '--format',
      'zeek',
      '--model-kind',
      'gru',
      '--epochs',
      '4',
      '--out',
      file('model'),
    ]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/threshold at FPR 0.01: [\d.]+ nats/);
    const spec = JSON.parse(readFileSync(file('model/model.json'), 'utf8'));
    expect(spec.kind).to.equal('gru');
    expect(spec.architecture.sequence).to.include({ steps: 8, maxHosts: 100000 });
    expect(spec.weights.map((w: { name: string }) => w.name)).to.include('gru.recurrent');
  });

  it('detects the injected attacks better than chance, with thresholds from its own calibration', async () => {
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
    ]);
    expect(r.code, r.stderr).to.equal(0);
    const evaluation = JSON.parse(readFileSync(file('eval.json'), 'utf8'));
    expect(evaluation.flows).to.equal(3000);
    expect(evaluation.auroc).to.be.greaterThan(0.85); // measured 0.96
    expect(evaluation.thresholds[0].fpr).to.be.lessThan(0.05);
  });

  it('writes one alert line per flow, in order, whose field parts add up to the score', async () => {
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
    ]);
    expect(r.code, r.stderr).to.equal(0);
    const lines = readFileSync(file('alerts.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).to.have.length(3000);
    expect(lines.map((l) => l.row)).to.deep.equal(lines.map((_, i) => i + 1));
    expect(Object.keys(lines[0].alerts)).to.deep.equal(['fpr_1pct', 'fpr_0_1pct']);
    for (const line of lines.slice(0, 50)) {
      expect(line.top).to.have.length(3);
      const named = line.top.reduce((sum: number, t: { nats: number }) => sum + t.nats, 0);
      expect(named).to.be.at.most(line.score + 1e-3);
    }
    const attacks = lines.filter((l) => l.label !== 'normal');
    expect(attacks.filter((l) => l.alerts.fpr_1pct).length / attacks.length).to.be.greaterThan(0.3);
  });
});
