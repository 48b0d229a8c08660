/**
 * Aggregation strategies: pure functions from the global weights and the clients' results of
 * a round to the next global weights. No network, proto or storage code in here (as
 * Flower's Strategy), so each is tested on plain numbers and swapped by configuration.
 */

/** One client's accepted training result. */
export interface FitResult {
  readonly clientId: string;
  /** Local weights minus the global weights of this round. */
  readonly delta: Float32Array;
  /** Training flows behind the delta. */
  readonly examples: number;
}

export interface AggregationStrategy {
  readonly name: string;
  /**
   * The next global weights. `results` are already verified (shapes, finiteness, selection);
   * there is at least one. Must not modify its inputs.
   */
  aggregate(global: Float32Array, results: readonly FitResult[]): Float32Array;
}
