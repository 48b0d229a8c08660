import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { logEvents, runCli } from '../helpers/run-cli.js';
import { kddLines } from '../unit/flows/fixtures.js';

describe('fedflow train --model-kind and --latent: choosing the model', function () {
  this.timeout(120_000);
  let dir: string;
  const file = (name: string) => join(dir, name);
  const train = (out: string, ...extra: string[]) =>
    runCli([
      'train',
      '--data',
      file('train.txt'),
      '--format',
      'nsl-kdd',
      '--epochs',
      '2',
      '--out',
      file(out),
      ...extra,
    ]);

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-kind-'));
    writeFileSync(file('train.txt'), kddLines(600));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('trains the GAN baseline when asked, and its model directory names the kind', async () => {
    const r = await train('gan', '--model-kind', 'alad-gan');
    expect(r.code, r.stderr).to.equal(0);
    const spec = JSON.parse(readFileSync(file('gan/model.json'), 'utf8'));
    expect(spec.kind).to.equal('alad-gan');
    expect(spec.architecture.latent.kind).to.equal('gaussian');
  });

  it('trains a stick-breaking latent and says how many components it uses', async () => {
    const r = await train('sb', '--latent', 'stick-breaking');
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/components in use: \d+ of 32 above 1% weight/);
  });

  it('trains a gru on flows without addresses, and warns that it then sees no history', async () => {
    const r = await train('gru', '--model-kind', 'gru');
    expect(r.code, r.stderr).to.equal(0);
    const warnings = logEvents(r.stderr).filter((e) => e.level === 40);
    expect(warnings.map((e) => e.msg)).to.include(
      'no flow has an earlier flow of the same source host (the files carry no source addresses?): the gru sees no history and models each flow alone',
    );
    expect(JSON.parse(readFileSync(file('gru/model.json'), 'utf8')).kind).to.equal('gru');
  });

  it('refuses a latent the GAN does not have, before training anything', async () => {
    const r = await train('bad', '--model-kind', 'alad-gan', '--latent', 'stick-breaking');
    expect(r.code).to.not.equal(0);
    expect(r.stderr).to.contain(
      '--latent stick-breaking does not apply to --model-kind alad-gan: its latent is always Gaussian',
    );
    expect(existsSync(file('bad'))).to.equal(false);
  });
});
