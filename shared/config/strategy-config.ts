/** The coordinator's `strategy` settings: how each round's site updates become the next model. */

/** The server optimisers and screenings coordinator/strategy implements. */
export const SERVER_OPTIMIZERS = ['fedavg', 'fedavgm', 'fedadam', 'fedyogi', 'fedprox'] as const;
export const SCREENINGS = [
  'none',
  'norm-bound',
  'median',
  'trimmed-mean',
  'multi-krum',
  'norm-bound+multi-krum',
  'robust',
] as const;

const nonNegative = (name: string) => (value: unknown) => {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value))
    throw new Error(`${name} must be a non-negative number, got ${JSON.stringify(value)}`);
};

/** Defaults of the `strategy` settings (chosen by measurement: docs/federation.md). */
export const STRATEGY_DEFAULTS = {
  name: 'fedavg' as (typeof SERVER_OPTIMIZERS)[number],
  serverLearningRate: 1,
  serverMomentum: 0.9,
  beta2: 0.99,
  tau: 1e-3,
  proximalMu: 0.01,
  screening: {
    method: 'robust' as (typeof SCREENINGS)[number],
    normBound: 2,
    trimShare: 0.2,
    byzantine: 1,
    krumOutlierRatio: 2,
    minCosine: 0,
  },
};
const d = STRATEGY_DEFAULTS;

export const strategyConfigSchema = {
  name: {
    doc: 'fedavg, fedavgm (server momentum), fedadam or fedyogi (server-side adaptive), fedprox (proximal term at the sites)',
    format: [...SERVER_OPTIMIZERS],
    default: d.name as string,
    env: 'FEDFLOW_STRATEGY',
  },
  serverLearningRate: {
    doc: 'Server learning rate (1 with fedavg is plain averaging)',
    format: nonNegative('strategy.serverLearningRate'),
    default: d.serverLearningRate,
  },
  serverMomentum: {
    doc: 'Server momentum of fedavgm; first-moment decay of fedadam/fedyogi',
    format: nonNegative('strategy.serverMomentum'),
    default: d.serverMomentum,
  },
  beta2: {
    doc: 'Second-moment decay of fedadam/fedyogi',
    format: nonNegative('strategy.beta2'),
    default: d.beta2,
  },
  tau: {
    doc: 'Adaptivity floor of fedadam/fedyogi',
    format: nonNegative('strategy.tau'),
    default: d.tau,
  },
  proximalMu: {
    doc: 'FedProx mu, published to the sites (strategy fedprox only)',
    format: nonNegative('strategy.proximalMu'),
    default: d.proximalMu,
  },
  screening: {
    method: {
      doc: 'Update screening: none, norm-bound, median, trimmed-mean, multi-krum, norm-bound+multi-krum (clip, then Multi-Krum), or robust (clip, then exclude opposed or outlying deltas)',
      format: [...SCREENINGS],
      default: d.screening.method as string,
      env: 'FEDFLOW_SCREENING',
    },
    normBound: {
      doc: "norm-bound (also before multi-krum): clip each delta to this multiple of the round's median delta norm",
      format: nonNegative('strategy.screening.normBound'),
      default: d.screening.normBound,
    },
    trimShare: {
      doc: 'trimmed-mean: share of example weight trimmed from each end per coordinate',
      format: nonNegative('strategy.screening.trimShare'),
      default: d.screening.trimShare,
    },
    byzantine: {
      doc: 'multi-krum: how many malicious sites to tolerate',
      format: 'nat',
      default: d.screening.byzantine,
    },
    minCosine: {
      doc: "robust: exclude a delta whose cosine to the other sites' mean update is below this (a sign flip)",
      format: (v: unknown) => {
        if (typeof v !== 'number' || !(v >= -1 && v <= 1))
          throw new Error(
            `strategy.screening.minCosine must be a number in [-1, 1], got ${JSON.stringify(v)}`,
          );
      },
      default: d.screening.minCosine,
    },
    krumOutlierRatio: {
      doc: "multi-krum: exclude a delta only when its score exceeds this multiple of the round's median score (0 = always exclude the byzantine highest)",
      format: nonNegative('strategy.screening.krumOutlierRatio'),
      default: d.screening.krumOutlierRatio,
    },
  },
};
