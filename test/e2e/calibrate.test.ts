import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { logEvents, runCli } from '../helpers/run-cli.js';

describe('fedflow calibrate: thresholds re-placed on a site’s own normal flows', function () {
  this.timeout(240_000);
  let dir: string;
  const file = (name: string) => join(dir, name);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-calibrate-'));
    for (const [name, profile, seed, share, flows] of [
      ['train.log', 'web', '1', '0', '8000'],
      ['site.log', 'internal', '2', '0.05', '6000'],
    ] as const) {
      const synth = ['synth', '--profile', profile, '--flows', flows, '--seed', seed];
      const r = await runCli([...synth, '--attack-share', share, '--out', file(name)]);
      expect(r.code, r.stderr).to.equal(0);
    }
    const train = ['train', '--data', file('train.log'), '--format', 'zeek', '--epochs', '4'];
    const trained = await runCli([...train, '--out', file('model')]);
    expect(trained.code, trained.stderr).to.equal(0);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const thresholdsOf = (model: string) =>
    JSON.parse(readFileSync(join(model, 'thresholds.json'), 'utf8'));

  it('writes the same model with thresholds placed on the given normals, saying where they came from', async () => {
    const r = await runCli([
      'calibrate',
      '--model',
      file('model'),
      '--data',
      file('site.log'),
      '--format',
      'zeek',
      '--only-label',
      'normal',
      '--out',
      file('calibrated'),
    ]);
    expect(r.code, r.stderr).to.equal(0);

    const placed = thresholdsOf(file('calibrated'));
    expect(placed.source).to.equal('site-calibration');
    expect(placed.calibrationFlows).to.equal(5700);
    expect(placed.placedOn.files).to.deep.equal([file('site.log')]);
    expect(placed.targets.map((t: { fpr: number }) => t.fpr)).to.deep.equal([0.01, 0.001]);
    expect(readFileSync(file('calibrated/weights.bin'))).to.deep.equal(
      readFileSync(file('model/weights.bin')),
    );
    expect(r.stderr).to.match(/threshold at FPR 0\.01: [\d.]+ nats \(was [\d.]+\); 95% interval/);
    // 5,700 flows cannot back a 0.1% threshold well: said, with its interval, as a warning.
    const warnings = logEvents(r.stderr).filter((e) => e.level === 40);
    expect(warnings.map((e) => e.msg).join('\n')).to.match(
      /^only 5700 calibration flows back the threshold at FPR 0\.001 \(10000 wanted\); its true FPR is likely between/,
    );
  });

  it('scores as evaluate does (same derived fields): on the flows it was placed on, at most the target share of normals alert', async () => {
    const evaluated = await runCli([
      'evaluate',
      '--model',
      file('calibrated'),
      '--data',
      file('site.log'),
      '--format',
      'zeek',
    ]);
    expect(evaluated.code, evaluated.stderr).to.equal(0);
    const row = evaluated.stdout.split('\n').find((l) => l.trim().startsWith('0.0100'))!;
    const observedFpr = Number(row.trim().split(/\s+/)[3]);
    expect(observedFpr).to.be.at.most(0.01);
  });

  it('refuses to write over a file that is not a model directory, before reading any flow', async () => {
    const r = await runCli([
      'calibrate',
      '--model',
      file('model'),
      '--data',
      file('site.log'),
      '--format',
      'zeek',
      '--out',
      file('site.log'),
    ]);
    expect(r.code).to.equal(1);
    expect(r.stderr.split('\n').filter(Boolean)).to.have.length(1);
  });
});
