/**
 * Coordinate-wise statistics (median, trimmed mean): each coordinate's values are sorted with
 * their sites' example masses and reduced to one number.
 */
import type { FitResult } from '../strategy.js';

/** Reduces one coordinate: `values` ascending, `masses[k]` the examples behind `values[k]`. */
export type SortedStatistic = (values: Float64Array, masses: Float64Array) => number;

export function combineByCoordinate(
  results: readonly FitResult[],
  statistic: SortedStatistic,
): Float64Array {
  const order = new Int32Array(results.length);
  const values = new Float64Array(results.length);
  const masses = new Float64Array(results.length);
  const combined = new Float64Array(results[0]!.delta.length);
  for (let i = 0; i < combined.length; i++) {
    sortColumn(results, i, order);
    order.forEach((site, k) => {
      values[k] = results[site]!.delta[i]!;
      masses[k] = results[site]!.examples;
    });
    combined[i] = statistic(values, masses);
  }
  return combined;
}

/**
 * Insertion sort: stable (equal values stay in canonical order, so sums over them do not
 * depend on arrival order) and fast for the handful of sites in a round.
 */
function sortColumn(results: readonly FitResult[], i: number, order: Int32Array): void {
  for (let k = 0; k < order.length; k++) {
    const value = results[k]!.delta[i]!;
    let j = k;
    for (; j > 0 && results[order[j - 1]!]!.delta[i]! > value; j--) order[j] = order[j - 1]!;
    order[j] = k;
  }
}
