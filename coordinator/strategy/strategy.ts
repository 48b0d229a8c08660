/**
 * Aggregation strategies: pure functions from the global weights, the sites' results of a
 * round and the server optimiser's state to the next global weights. No network, proto or
 * storage code in here (as Flower's Strategy), so each is tested on plain numbers, swapped by
 * configuration (strategy-factory.ts) and held to one shared suite.
 *
 * A strategy is three parts applied in order:
 * 1. screening: looks at every site's delta and decides, per site, to keep it, clip it or
 *    exclude it (norm bounding, Multi-Krum), or replaces the mean by a robust statistic
 *    (coordinate-wise median, trimmed mean);
 * 2. combining: the example-weighted aggregate of what screening let through (the round's
 *    pseudo-gradient, in delta form);
 * 3. the server update: w' = w + step(aggregate, state): plain (FedAvg), with momentum
 *    (FedAvgM) or adaptive (FedAdam, FedYogi; Reddi et al. 2021).
 * Site-side parts of a strategy (FedProx's proximal term) are published with each training
 * task as `siteTraining` and applied by the sites.
 */

/** One site's accepted training result. */
export interface FitResult {
  readonly clientId: string;
  /** Local weights minus the global weights of this round. */
  readonly delta: Float32Array;
  /** Training flows behind the delta. */
  readonly examples: number;
}

/** What screening did with one site's update, for the round record, logs and dashboard. */
export interface UpdateReport {
  readonly clientId: string;
  /** L2 norm of the delta as received. */
  readonly norm: number;
  /** Cosine between the delta as received and the round's aggregate update; 0 if either is zero. */
  readonly cosine: number;
  /** 'kept' as received, 'clipped' to a norm bound, 'excluded' from the aggregate. */
  readonly action: 'kept' | 'clipped' | 'excluded';
  /**
   * Why it was clipped or excluded; on a kept update only when screening ran weaker than
   * configured (Multi-Krum with too few results); absent otherwise.
   */
  readonly reason?: string;
  /** This site's share of the combined update (its example weight among those kept); 0 when excluded. */
  readonly weight: number;
}

/**
 * Server optimiser state carried from round to round (FedAvgM's momentum, FedAdam's moments).
 * Plain data so the coordinator's store can persist it; null before the first round.
 */
export interface ServerState {
  /** The server optimiser that wrote it ('fedavgm', 'fedadam', 'fedyogi'). */
  readonly optimizer: string;
  /** Server updates applied so far. */
  readonly step: number;
  /** Named vectors of the model's length ('momentum', 'variance'). */
  readonly slots: Readonly<Record<string, Float32Array>>;
}

/** Settings a site applies in local training under this strategy (published with the task). */
export interface SiteTraining {
  /** FedProx: weight mu of the proximal term (mu / 2) * ||w - w_global||^2; 0 = off. */
  readonly proximalMu: number;
}

export interface Aggregation {
  /** The next global weights. */
  readonly weights: Float32Array;
  /** The combined update (after screening, before the server optimiser). */
  readonly update: Float32Array;
  /** One report per result, in the order of the results given. */
  readonly reports: readonly UpdateReport[];
  /** State for the next round (null for stateless strategies). */
  readonly state: ServerState | null;
}

export interface AggregationStrategy {
  /** e.g. 'fedavg', 'fedadam+multi-krum': names the configuration in logs and records. */
  readonly name: string;
  readonly siteTraining: SiteTraining;
  /**
   * `results` are already verified (shapes, finiteness, selection); there is at least one.
   * Must not modify its inputs; gives the same output for the same inputs in any order.
   */
  aggregate(
    global: Float32Array,
    results: readonly FitResult[],
    state: ServerState | null,
  ): Aggregation;
}
