import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import {
  loadClientConfig,
  loadCoordinatorConfig,
} from '../../../shared/config/federation-config.js';

const configDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'config');

describe('federation configuration', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-fedconfig-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts the example configuration files as shipped', () => {
    expect(
      loadCoordinatorConfig(join(configDir, 'coordinator.example.json')).federation.rounds,
    ).to.equal(8);
    expect(loadClientConfig(join(configDir, 'client.example.json')).name).to.equal('site-a');
  });

  it('resolves relative paths against the config file, not the working directory', () => {
    const file = join(dir, 'coordinator.json');
    writeFileSync(
      file,
      JSON.stringify({ privateKey: 'keys/c.private.json', clients: ['keys/a.public.json'] }),
    );
    const config = loadCoordinatorConfig(file);
    expect(config.privateKey).to.equal(join(dir, 'keys', 'c.private.json'));
    expect(config.clients).to.deep.equal([join(dir, 'keys', 'a.public.json')]);
  });

  it('lets flags override the file and environment override the file', () => {
    const file = join(dir, 'client.json');
    writeFileSync(file, JSON.stringify({ coordinator: { address: 'a:1' } }));
    expect(loadClientConfig(file, { 'coordinator.address': 'b:2' }).coordinator.address).to.equal(
      'b:2',
    );
    process.env.FEDFLOW_COORDINATOR = 'c:3';
    try {
      expect(loadClientConfig(file).coordinator.address).to.equal('c:3');
    } finally {
      delete process.env.FEDFLOW_COORDINATOR;
    }
  });

  it('names the key and the problem for invalid settings', () => {
    const file = join(dir, 'coordinator.json');
    writeFileSync(file, JSON.stringify({ federation: { rounds: 0 } }));
    expect(() => loadCoordinatorConfig(file)).to.throw(
      /federation\.rounds must be a positive integer/,
    );
    writeFileSync(file, JSON.stringify({ listen: { port: 99999 } }));
    expect(() => loadCoordinatorConfig(file)).to.throw(/listen\.port/);
    writeFileSync(file, JSON.stringify({ federation: { round: 3 } }));
    expect(() => loadCoordinatorConfig(file)).to.throw(/federation\.round/);
  });

  it('refuses strategy settings the strategy factory would refuse, with the same words', () => {
    const file = join(dir, 'coordinator.json');
    writeFileSync(file, JSON.stringify({ strategy: { serverMomentum: 1 } }));
    expect(() => loadCoordinatorConfig(file)).to.throw(
      'strategy.serverMomentum must be in [0, 1), got 1',
    );
    writeFileSync(file, JSON.stringify({ strategy: { screening: { trimShare: 0.5 } } }));
    expect(() => loadCoordinatorConfig(file)).to.throw(
      'strategy.screening.trimShare must be in [0, 0.5), got 0.5',
    );
    writeFileSync(file, JSON.stringify({ strategy: { screening: { minCosine: 2 } } }));
    expect(() => loadCoordinatorConfig(file)).to.throw(
      'strategy.screening.minCosine must be in [-1, 1], got 2',
    );
    writeFileSync(file, JSON.stringify({ strategy: { name: 'fedadam' } }));
    expect(loadCoordinatorConfig(file).strategy.serverLearningRate).to.equal(null);
  });

  it('refuses local training settings that every site would refuse, with the limit', () => {
    const file = join(dir, 'coordinator.json');
    writeFileSync(file, JSON.stringify({ federation: { replayShare: 0.95 } }));
    expect(() => loadCoordinatorConfig(file)).to.throw(
      'federation.replayShare must be a number in [0, 0.9], got 0.95',
    );
    writeFileSync(file, JSON.stringify({ federation: { localSteps: 1e6 } }));
    expect(() => loadCoordinatorConfig(file)).to.throw(
      'federation.localSteps must be an integer in [0, 100000], got 1000000',
    );
  });
});
