/** FedAvg: the global model moves by the example-weighted mean of the clients' deltas. */

import type { AggregationStrategy, FitResult } from './strategy.js';
import { createStrategy } from './strategy-factory.js';
import { DEFAULT_STRATEGY } from './strategy-settings.js';

/**
 * Plain FedAvg (McMahan et al. 2017, delta form): no screening, server learning rate 1,
 * w' = w + sum_k (n_k / n) * delta_k.
 */
export const fedAvg: AggregationStrategy = createStrategy({
  ...DEFAULT_STRATEGY,
  name: 'fedavg',
  serverLearningRate: 1,
  screening: { ...DEFAULT_STRATEGY.screening, method: 'none', maxWeightRatio: 0 },
});

/**
 * The next global weights under plain FedAvg. Sums run in float64 over the results in
 * client-id order, so the result does not depend on the order of the clients at all.
 *
 * @example aggregateFedAvg(global, [{ clientId: 'a', delta, examples: 1200 }])
 */
export function aggregateFedAvg(global: Float32Array, results: readonly FitResult[]): Float32Array {
  return fedAvg.aggregate(global, results, null).weights;
}
