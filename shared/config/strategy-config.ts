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

/**
 * The server learning rate when none is set: 1 is plain averaging for fedavg, fedavgm and
 * fedprox; fedadam and fedyogi move each weight by about eta a round, so they want far less
 * (Reddi et al. 2021 tune it in 1e-2 to 1e-1; 0.01 measured best here, docs/federation.md).
 */
export const DEFAULT_SERVER_LEARNING_RATE: Record<(typeof SERVER_OPTIMIZERS)[number], number> = {
  fedavg: 1,
  fedavgm: 1,
  fedprox: 1,
  fedadam: 0.01,
  fedyogi: 0.01,
};

/**
 * What each numeric setting must be: one table for the config file (convict) and for the
 * strategy factory, so that both accept and refuse the same values.
 */
export const STRATEGY_NUMBER_RULES: Record<
  string,
  { readonly valid: (x: number) => boolean; readonly must: string }
> = {
  'strategy.serverLearningRate': { valid: (x) => x > 0, must: 'be > 0' },
  'strategy.serverMomentum': { valid: (x) => x >= 0 && x < 1, must: 'be in [0, 1)' },
  'strategy.beta2': { valid: (x) => x >= 0 && x < 1, must: 'be in [0, 1)' },
  'strategy.tau': { valid: (x) => x > 0, must: 'be > 0' },
  'strategy.proximalMu': { valid: (x) => x >= 0, must: 'be >= 0' },
  'strategy.screening.normBound': { valid: (x) => x > 0, must: 'be > 0' },
  'strategy.screening.trimShare': { valid: (x) => x >= 0 && x < 0.5, must: 'be in [0, 0.5)' },
  'strategy.screening.byzantine': {
    valid: (x) => Number.isInteger(x) && x >= 0,
    must: 'be a whole number >= 0',
  },
  'strategy.screening.krumOutlierRatio': { valid: (x) => x >= 0, must: 'be >= 0' },
  'strategy.screening.minCosine': { valid: (x) => x >= -1 && x <= 1, must: 'be in [-1, 1]' },
  'strategy.screening.maxWeightRatio': {
    valid: (x) => x === 0 || x >= 1,
    must: 'be 0 (off) or >= 1',
  },
};

/** The problem with a numeric setting's value, or null (`nullable`: null means "default"). */
export function strategyNumberProblem(
  setting: string,
  value: unknown,
  nullable = false,
): string | null {
  if (nullable && value === null) return null;
  const rule = STRATEGY_NUMBER_RULES[setting]!;
  if (typeof value === 'number' && Number.isFinite(value) && rule.valid(value)) return null;
  return `${setting} must ${rule.must}${nullable ? ' (or null)' : ''}, got ${typeof value === 'string' ? `'${value}'` : String(value)}`;
}

const ruled =
  (setting: string, nullable = false) =>
  (value: unknown) => {
    const problem = strategyNumberProblem(setting, value, nullable);
    if (problem) throw new Error(problem);
  };

/** Defaults of the `strategy` settings (chosen by measurement: docs/federation.md). */
export const STRATEGY_DEFAULTS = {
  name: 'fedavg' as (typeof SERVER_OPTIMIZERS)[number],
  /** null: DEFAULT_SERVER_LEARNING_RATE of the optimiser. */
  serverLearningRate: null as number | null,
  serverMomentum: 0.9,
  beta2: 0.99,
  tau: 1e-3,
  proximalMu: 0.01,
  screening: {
    method: 'robust' as (typeof SCREENINGS)[number],
    normBound: 1.5,
    trimShare: 0.2,
    byzantine: 1,
    krumOutlierRatio: 2,
    minCosine: 0,
    maxWeightRatio: 5,
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
    doc: 'Server learning rate; null = 1 for fedavg, fedavgm and fedprox (plain averaging), 0.01 for fedadam and fedyogi',
    format: ruled('strategy.serverLearningRate', true),
    default: d.serverLearningRate,
  },
  serverMomentum: {
    doc: 'Server momentum of fedavgm; first-moment decay of fedadam/fedyogi',
    format: ruled('strategy.serverMomentum'),
    default: d.serverMomentum,
  },
  beta2: {
    doc: 'Second-moment decay of fedadam/fedyogi',
    format: ruled('strategy.beta2'),
    default: d.beta2,
  },
  tau: {
    doc: 'Adaptivity floor of fedadam/fedyogi',
    format: ruled('strategy.tau'),
    default: d.tau,
  },
  proximalMu: {
    doc: 'FedProx mu, published to the sites (strategy fedprox only)',
    format: ruled('strategy.proximalMu'),
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
      format: ruled('strategy.screening.normBound'),
      default: d.screening.normBound,
    },
    trimShare: {
      doc: 'trimmed-mean: share of example weight trimmed from each end per coordinate',
      format: ruled('strategy.screening.trimShare'),
      default: d.screening.trimShare,
    },
    byzantine: {
      doc: 'multi-krum: how many malicious sites to tolerate',
      format: ruled('strategy.screening.byzantine'),
      default: d.screening.byzantine,
    },
    minCosine: {
      doc: "robust: exclude a delta whose cosine to the other sites' mean update is below this (a sign flip)",
      format: ruled('strategy.screening.minCosine'),
      default: d.screening.minCosine,
    },
    krumOutlierRatio: {
      doc: "multi-krum: exclude a delta only when its score exceeds this multiple of the round's median score (0 = always exclude the byzantine highest)",
      format: ruled('strategy.screening.krumOutlierRatio'),
      default: d.screening.krumOutlierRatio,
    },
    maxWeightRatio: {
      doc: "Every method: a site's example weight counts at most this multiple of the round's median site's (0 = as claimed), so a site claiming more flows than it has cannot decide the model alone",
      format: ruled('strategy.screening.maxWeightRatio'),
      default: d.screening.maxWeightRatio,
    },
  },
};
