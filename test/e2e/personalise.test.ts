import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { writeSyntheticConnLog } from '../../shared/flows/synth/index.js';
import { errorLines, runCli } from '../helpers/run-cli.js';
import { kddLines } from '../unit/flows/fixtures.js';

describe('fedflow train --init-from: fine-tuning a model on local flows', function () {
  this.timeout(240_000);
  let dir: string;
  const file = (name: string) => join(dir, name);
  const json = (path: string) => JSON.parse(readFileSync(file(path), 'utf8'));
  const fineTune = (from: string, out: string, data = 'site.log', format = 'zeek') =>
    runCli([
      'train',
      '--init-from',
      file(from),
      '--data',
      file(data),
      '--format',
      format,
      '--config',
      file('small.json'),
      '--out',
      file(out),
    ]);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-e2e-tune-'));
    writeFileSync(
      file('small.json'),
      JSON.stringify({ model: { hidden: 16, components: 8 }, training: { batchSize: 256 } }),
    );
    const synth = { flows: 3000, attackShare: 0 };
    await writeSyntheticConnLog(file('global.log'), { ...synth, profile: 'web', seed: 1 });
    await writeSyntheticConnLog(file('site.log'), { ...synth, profile: 'mail-dns', seed: 2 });
    const trained = await runCli([
      ...['train', '--data', file('global.log'), '--format', 'zeek', '--epochs', '2'],
      ...['--config', file('small.json'), '--out', file('global')],
    ]);
    expect(trained.code, trained.stderr).to.equal(0);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('fine-tunes for 5 epochs by default, keeps the encoder and records the origin', async () => {
    const r = await fineTune('global', 'tuned');
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout.trim()).to.equal(file('tuned'));
    const global = json('global/model.json');
    const tuned = json('tuned/model.json');
    expect(tuned.encoder).to.deep.equal(global.encoder);
    expect(tuned.architecture).to.deep.equal(global.architecture);
    expect(tuned.metadata.training.epochs).to.equal(5);
    expect(tuned.metadata.training.klWarmupEpochs).to.equal(0);
    const digest = json('global/integrity.json').files['weights.bin'];
    expect(tuned.metadata.origin).to.include({ sha256: digest, dir: file('global') });
    expect(r.stderr).to.include(`fine-tuned from ${file('global')} (weights sha256 ${digest})`);
    expect(json('tuned/thresholds.json').source).to.equal('local-calibration');
    const score = await runCli([
      ...['score', '--model', file('tuned'), '--data', file('site.log')],
      ...['--format', 'zeek', '--out', file('alerts.jsonl')],
    ]);
    expect(score.code, score.stderr).to.equal(0);
  });

  it('fails naming the model directory when it is missing', async () => {
    const r = await fineTune('nope', 'x');
    expect(r.code).to.equal(1);
    expect(errorLines(r)).to.match(/^model directory .*nope: missing integrity\.json/);
  });

  it('fails naming the model directory and file when it is damaged', async () => {
    cpSync(file('global'), file('damaged'), { recursive: true });
    const weights = readFileSync(file('damaged/weights.bin'));
    weights[0] = weights[0]! ^ 0xff;
    writeFileSync(file('damaged/weights.bin'), weights);
    const r = await fineTune('damaged', 'x');
    expect(r.code).to.equal(1);
    expect(errorLines(r)).to.match(/^model directory .*damaged: weights\.bin is corrupted/);
  });

  it("fails before training when the data's fields differ from the model's, naming the first", async () => {
    writeFileSync(file('kdd.txt'), kddLines(50));
    const r = await fineTune('global', 'mismatch', 'kdd.txt', 'nsl-kdd');
    expect(r.code).to.equal(1);
    expect(errorLines(r)).to.match(
      /.*kdd\.txt \(schema 'nsl-kdd'\) does not match the model's schema 'zeek-conn': field 1: the model has '/,
    );
    expect(r.stderr).to.not.match(/epoch/);
    expect(existsSync(file('mismatch'))).to.equal(false);
  });

  it('documents --init-from and its default epochs in the help', async () => {
    const r = await runCli(['train', '--help']);
    expect(r.stdout).to.match(/--init-from <model-dir>/);
    expect(r.stdout).to.match(/with --init-from: 5 unless given/);
  });
});
