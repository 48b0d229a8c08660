import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadModelConfig } from '../../../shared/config/model-config.js';

describe('model configuration', () => {
  let dir: string;
  const write = (body: unknown) => {
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify(body));
    return path;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('uses documented defaults when nothing is given', () => {
    const config = loadModelConfig().getProperties();
    expect(config.model.latent).to.equal('mixture');
    expect(config.model.mixtureObjective).to.equal('exact');
    expect(config.thresholds.targetFprs).to.deep.equal([0.01, 0.001]);
    expect(config.training.klWarmupEpochs).to.equal(null);
  });

  it('lets a file override defaults and flags override the file', () => {
    const path = write({ training: { epochs: 7, seed: 3 } });
    const config = loadModelConfig(path, { 'training.seed': 11 }).getProperties();
    expect(config.training.epochs).to.equal(7);
    expect(config.training.seed).to.equal(11);
  });

  it('lets environment variables override the file', () => {
    const path = write({ training: { epochs: 7 } });
    process.env.FEDFLOW_EPOCHS = '9';
    try {
      expect(loadModelConfig(path).getProperties().training.epochs).to.equal(9);
    } finally {
      delete process.env.FEDFLOW_EPOCHS;
    }
  });

  it('names the key and the problem for a bad value', () => {
    const path = write({ training: { epochs: -1 } });
    expect(() => loadModelConfig(path)).to.throw(/training\.epochs.*positive integer/);
  });

  it('refuses a last-N window longer than a host may keep, naming the setting and the range', () => {
    expect(() => loadModelConfig(write({ input: { lastConnections: 5000 } }))).to.throw(
      'input.lastConnections must be an integer in [0, 1000], got 5000',
    );
    expect(loadModelConfig().getProperties().input.lastConnections).to.equal(0);
  });

  it('rejects an unknown key instead of silently ignoring it', () => {
    const path = write({ training: { epoch: 5 } });
    expect(() => loadModelConfig(path)).to.throw(/training\.epoch/);
  });

  it('rejects target false-positive rates outside (0, 1)', () => {
    const path = write({ thresholds: { targetFprs: [0.01, 1.5] } });
    expect(() => loadModelConfig(path)).to.throw(/thresholds\.targetFprs/);
  });
});
