import { expect } from 'chai';
import { createStrategy } from '../../../coordinator/strategy/strategy-factory.js';
import {
  DEFAULT_STRATEGY,
  type StrategySettings,
} from '../../../coordinator/strategy/strategy-settings.js';
import { settingsFor } from './strategy-suite.js';

type Tuning = Partial<Omit<StrategySettings, 'screening'>> & {
  screening?: Partial<StrategySettings['screening']>;
};
const build = ({ screening, ...rest }: Tuning) =>
  createStrategy({
    ...DEFAULT_STRATEGY,
    ...rest,
    screening: { ...DEFAULT_STRATEGY.screening, ...screening },
  } as StrategySettings);

describe('strategy factory', () => {
  it('names a strategy by its server optimiser and, when there is one, its screening', () => {
    expect(createStrategy(settingsFor('fedavg', 'none')).name).to.equal('fedavg');
    expect(createStrategy(DEFAULT_STRATEGY).name).to.equal('fedavg+robust');
    expect(createStrategy(settingsFor('fedadam', 'multi-krum')).name).to.equal(
      'fedadam+multi-krum',
    );
  });

  it('publishes the proximal term to the sites only under fedprox', () => {
    expect(build({ name: 'fedprox', proximalMu: 0.05 }).siteTraining).to.deep.equal({
      proximalMu: 0.05,
    });
    for (const name of ['fedavg', 'fedavgm', 'fedadam', 'fedyogi'] as const) {
      expect(build({ name, proximalMu: 0.05 }).siteTraining).to.deep.equal({ proximalMu: 0 });
    }
  });

  it('gives fedadam and fedyogi a server learning rate of 0.01 unless one is set, the others 1', () => {
    // One site, one round from 0: FedAdam's first step is eta * (1 - b1) u / (sqrt((1 - b2) u^2 + b2 tau^2) + tau).
    const step = (tuning: Tuning) =>
      build({ ...tuning, screening: { method: 'none' } }).aggregate(
        Float32Array.from([0]),
        [{ clientId: 'a', delta: Float32Array.from([1]), examples: 1 }],
        null,
      ).weights[0]!;
    const adam = step({ name: 'fedadam' });
    expect(adam).to.be.closeTo(step({ name: 'fedadam', serverLearningRate: 0.01 }), 1e-9);
    expect(adam).to.be.closeTo(step({ name: 'fedadam', serverLearningRate: 1 }) / 100, 1e-9);
    expect(step({ name: 'fedyogi' })).to.be.closeTo(
      step({ name: 'fedyogi', serverLearningRate: 0.01 }),
      1e-9,
    );
    expect(step({ name: 'fedavg' })).to.equal(1);
    expect(step({ name: 'fedavgm' })).to.equal(1);
  });

  const rejected: [Tuning, string][] = [
    [
      { screening: { trimShare: 0.7 } },
      'strategy.screening.trimShare must be in [0, 0.5), got 0.7',
    ],
    [
      { screening: { trimShare: 0.5 } },
      'strategy.screening.trimShare must be in [0, 0.5), got 0.5',
    ],
    [
      { screening: { byzantine: 1.5 } },
      'strategy.screening.byzantine must be a whole number >= 0, got 1.5',
    ],
    [
      { screening: { byzantine: -1 } },
      'strategy.screening.byzantine must be a whole number >= 0, got -1',
    ],
    [{ screening: { normBound: 0 } }, 'strategy.screening.normBound must be > 0, got 0'],
    [
      { serverLearningRate: Number.NaN },
      'strategy.serverLearningRate must be > 0 (or null), got NaN',
    ],
    [{ screening: { minCosine: 1.5 } }, 'strategy.screening.minCosine must be in [-1, 1], got 1.5'],
    [
      { screening: { krumOutlierRatio: -1 } },
      'strategy.screening.krumOutlierRatio must be >= 0, got -1',
    ],
    [{ serverMomentum: 1 }, 'strategy.serverMomentum must be in [0, 1), got 1'],
    [{ beta2: -0.1 }, 'strategy.beta2 must be in [0, 1), got -0.1'],
    [{ tau: 0 }, 'strategy.tau must be > 0, got 0'],
    [{ proximalMu: -1 }, 'strategy.proximalMu must be >= 0, got -1'],
    [
      { name: 'fedsgd' as 'fedavg' },
      "strategy.name must be one of fedavg, fedavgm, fedadam, fedyogi, fedprox, got 'fedsgd'",
    ],
    [
      { screening: { method: 'krum' as 'none' } },
      "strategy.screening.method must be one of none, norm-bound, median, trimmed-mean, multi-krum, norm-bound+multi-krum, robust, got 'krum'",
    ],
  ];
  for (const [tuning, message] of rejected) {
    it(`rejects settings where ${message}`, () => {
      expect(() => build(tuning)).to.throw(message);
    });
  }

  it('lists every bad setting in one error', () => {
    expect(() => build({ tau: -1, screening: { trimShare: 2 } })).to.throw(
      'invalid strategy settings: strategy.tau must be > 0, got -1; ' +
        'strategy.screening.trimShare must be in [0, 0.5), got 2',
    );
  });
});
