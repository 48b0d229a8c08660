/** FedAvg: the global model moves by the example-weighted mean of the clients' deltas. */
import type { AggregationStrategy, FitResult } from './strategy.js';

/**
 * McMahan et al. 2017, in delta form: w' = w + sum_k (n_k / n) * delta_k.
 * Accumulates in float64 so the result does not depend on the order of clients beyond
 * the final float32 rounding.
 *
 * @example aggregateFedAvg(global, [{ clientId: 'a', delta, examples: 1200 }])
 */
export function aggregateFedAvg(global: Float32Array, results: readonly FitResult[]): Float32Array {
  if (results.length === 0) throw new Error('FedAvg needs at least one result');
  const total = results.reduce((sum, r) => sum + r.examples, 0);
  if (!(total > 0)) throw new Error(`FedAvg needs a positive number of examples, got ${total}`);
  const sum = new Float64Array(global.length);
  for (const result of results) {
    if (result.delta.length !== global.length) {
      throw new Error(
        `delta from ${result.clientId} has ${result.delta.length} values, the model ${global.length}`,
      );
    }
    const weight = result.examples / total;
    const { delta } = result;
    for (let i = 0; i < sum.length; i++) sum[i]! += weight * delta[i]!;
  }
  const next = new Float32Array(global.length);
  for (let i = 0; i < next.length; i++) next[i] = global[i]! + sum[i]!;
  return next;
}

export const fedAvg: AggregationStrategy = {
  name: 'fedavg',
  siteTraining: { proximalMu: 0 },
  aggregate: (global, results) => {
    const weights = aggregateFedAvg(global, results);
    const update = new Float32Array(global.length);
    for (let i = 0; i < update.length; i++) update[i] = weights[i]! - global[i]!;
    return { weights, update, reports: [], state: null };
  },
};
