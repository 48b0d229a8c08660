/** The configuration that selects and tunes an aggregation strategy (see strategy-factory.ts). */

import {
  DEFAULT_SERVER_LEARNING_RATE,
  SCREENINGS,
  SERVER_OPTIMIZERS,
  STRATEGY_DEFAULTS,
} from '../../shared/config/strategy-config.js';

export { DEFAULT_SERVER_LEARNING_RATE, SCREENINGS, SERVER_OPTIMIZERS };
export type ServerOptimizerName = (typeof SERVER_OPTIMIZERS)[number];
export type ScreeningName = (typeof SCREENINGS)[number];

export interface StrategySettings {
  /**
   * fedavg: w + aggregate; fedavgm: server momentum; fedadam / fedyogi: server-side adaptive
   * steps; fedprox: fedavg on the server plus the proximal term at the sites.
   */
  readonly name: ServerOptimizerName;
  /**
   * Server learning rate eta (fedavg/fedprox/fedavgm: 1 is plain averaging). fedadam/fedyogi
   * move each weight by about eta per round, so they want far less (Reddi et al.: 1e-2 to 1e-1).
   * null: DEFAULT_SERVER_LEARNING_RATE of the optimiser.
   */
  readonly serverLearningRate: number | null;
  /** beta1: momentum of fedavgm, first-moment decay of fedadam/fedyogi. */
  readonly serverMomentum: number;
  /** beta2: second-moment decay of fedadam/fedyogi. */
  readonly beta2: number;
  /** tau: adaptivity floor of fedadam/fedyogi (Reddi et al.'s epsilon). */
  readonly tau: number;
  /** FedProx mu (only with name 'fedprox'; the other names publish 0). */
  readonly proximalMu: number;
  readonly screening: {
    readonly method: ScreeningName;
    /** norm-bound: clip every delta to this multiple of the round's median delta norm. */
    readonly normBound: number;
    /** trimmed-mean: share of example weight trimmed from each end, per coordinate (0 <= share < 0.5). */
    readonly trimShare: number;
    /**
     * multi-krum: the number f of malicious sites to tolerate. Needs n > 2f + 2 results; with
     * fewer, a round tolerates max(0, floor((n - 3) / 2)) and its reports say so.
     */
    readonly byzantine: number;
    /**
     * multi-krum: exclude a delta only if its score is above this multiple of the round's
     * median score (0 = always exclude the f highest, as in the paper). Honest sites that see
     * different traffic stay in; a scaled, random or far-off delta does not.
     */
    readonly krumOutlierRatio: number;
    /** robust: exclude a delta whose cosine to the other sites' mean update is below this. */
    readonly minCosine: number;
    /**
     * Every method: a site's example weight counts at most this multiple of the round's
     * median site's examples (0 = as claimed), so a site claiming more flows than it has
     * cannot decide the model alone.
     */
    readonly maxWeightRatio: number;
  };
  /**
   * Client-level differential privacy (DP-FedAvg): with noiseMultiplier > 0 it replaces
   * screening and example weighting (screening must be 'none'); absent or 0 = off.
   */
  readonly privacy?: { readonly clipNorm: number; readonly noiseMultiplier: number } | null;
}

/** The configuration's defaults (shared/config/strategy-config.ts holds them for convict). */
export const DEFAULT_STRATEGY: StrategySettings = STRATEGY_DEFAULTS;
