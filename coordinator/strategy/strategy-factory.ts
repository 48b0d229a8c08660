/**
 * Builds the aggregation strategy that the settings describe: one screening, example-weighted
 * combining and one server optimiser (strategy.ts). The only place that knows them all.
 */

import { composeStrategy } from './compose-strategy.js';
import { type Gaussian, secureGaussian } from './gaussian-noise.js';
import { clipThen } from './screening/clip-then.js';
import { gaussianMechanism } from './screening/gaussian-mechanism.js';
import { medianScreening } from './screening/median.js';
import { multiKrumScreening } from './screening/multi-krum.js';
import { noScreening } from './screening/no-screening.js';
import { normBoundScreening } from './screening/norm-bound.js';
import { robustScreening } from './screening/robust.js';
import type { Screening } from './screening/screening.js';
import { trimmedMeanScreening } from './screening/trimmed-mean.js';
import { fedAdamStep } from './server/fedadam-step.js';
import { fedAvgStep } from './server/fedavg-step.js';
import { fedAvgMStep } from './server/fedavgm-step.js';
import { fedYogiStep } from './server/fedyogi-step.js';
import type { ServerOptimizer } from './server/server-optimizer.js';
import { checkStrategySettings } from './settings-check.js';
import type { AggregationStrategy } from './strategy.js';
import {
  DEFAULT_SERVER_LEARNING_RATE,
  type ScreeningName,
  type ServerOptimizerName,
  type StrategySettings,
} from './strategy-settings.js';

type Screenings = Record<ScreeningName, (s: StrategySettings['screening']) => Screening>;
const SCREENING_BUILDERS: Screenings = {
  none: () => noScreening,
  'norm-bound': (s) => normBoundScreening(s.normBound),
  median: () => medianScreening,
  'trimmed-mean': (s) => trimmedMeanScreening(s.trimShare),
  'multi-krum': (s) => multiKrumScreening(s.byzantine, s.krumOutlierRatio),
  'norm-bound+multi-krum': (s) =>
    clipThen(s.normBound, multiKrumScreening(s.byzantine, s.krumOutlierRatio)),
  robust: (s) => robustScreening(s),
};

const eta = (s: StrategySettings) => s.serverLearningRate ?? DEFAULT_SERVER_LEARNING_RATE[s.name];
const adaptive = (s: StrategySettings) => ({
  learningRate: eta(s),
  beta1: s.serverMomentum,
  beta2: s.beta2,
  tau: s.tau,
});
const OPTIMIZER_BUILDERS: Record<ServerOptimizerName, (s: StrategySettings) => ServerOptimizer> = {
  fedavg: (s) => fedAvgStep(eta(s)),
  fedprox: (s) => fedAvgStep(eta(s)), // FedProx changes the sites, not the server
  fedavgm: (s) => fedAvgMStep(eta(s), s.serverMomentum),
  fedadam: (s) => fedAdamStep(adaptive(s)),
  fedyogi: (s) => fedYogiStep(adaptive(s)),
};

/**
 * Throws, naming the setting, when a setting is out of range.
 *
 * @example createStrategy({ ...DEFAULT_STRATEGY, name: 'fedadam', serverLearningRate: 0.1,
 *   screening: { ...DEFAULT_STRATEGY.screening, method: 'multi-krum' } }).name
 *   // 'fedadam+multi-krum'
 */
export function createStrategy(
  settings: StrategySettings,
  /** The privacy noise's source: the CSPRNG unless a benchmark or test repeats a run. */
  gaussian: () => Gaussian = secureGaussian,
): AggregationStrategy {
  checkStrategySettings(settings);
  const { name, screening, privacy } = settings;
  const private_ = privacy && privacy.noiseMultiplier > 0 ? privacy : null;
  return composeStrategy({
    name: private_
      ? `${name}+dp`
      : screening.method === 'none'
        ? name
        : `${name}+${screening.method}`,
    siteTraining: { proximalMu: name === 'fedprox' ? settings.proximalMu : 0 },
    screening: private_
      ? gaussianMechanism(private_, gaussian())
      : SCREENING_BUILDERS[screening.method](screening),
    serverOptimizer: OPTIMIZER_BUILDERS[name](settings),
    maxWeightRatio: screening.maxWeightRatio,
  });
}
