/** The configuration that selects and tunes an aggregation strategy (see strategy-factory.ts). */

export const SERVER_OPTIMIZERS = ['fedavg', 'fedavgm', 'fedadam', 'fedyogi', 'fedprox'] as const;
export type ServerOptimizerName = (typeof SERVER_OPTIMIZERS)[number];

export const SCREENINGS = ['none', 'norm-bound', 'median', 'trimmed-mean', 'multi-krum'] as const;
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
   */
  readonly serverLearningRate: number;
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
  };
}

export const DEFAULT_STRATEGY: StrategySettings = {
  name: 'fedavg',
  serverLearningRate: 1,
  serverMomentum: 0.9,
  beta2: 0.99,
  tau: 1e-3,
  proximalMu: 0.01,
  screening: { method: 'none', normBound: 2, trimShare: 0.2, byzantine: 1 },
};
