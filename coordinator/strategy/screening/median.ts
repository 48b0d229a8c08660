/**
 * Coordinate-wise example-weighted median (Yin et al. 2018): per coordinate, the value with
 * half of the example mass on either side. One site cannot drag it beyond the honest values
 * while the honest sites hold more than half of the examples.
 */
import { sharesOf } from '../vectors.js';
import { combineByCoordinate } from './by-coordinate.js';
import { kept, type Screening } from './screening.js';

/**
 * The combined update is a median, not a mean: each report's weight is its site's share of
 * the examples (its vote), not a coefficient of a sum.
 */
export const medianScreening: Screening = (results) => ({
  combined: combineByCoordinate(results, weightedMedian),
  verdicts: sharesOf(results.map((r) => r.examples)).map(kept),
});

/**
 * The first value whose cumulative mass passes half the total. When the mass below and
 * including a value is exactly half, the midpoint to the next value (the ordinary median's
 * rule for an even count): the answer depends only on the values and masses, not the order.
 */
export function weightedMedian(values: Float64Array, masses: Float64Array): number {
  const half = masses.reduce((sum, m) => sum + m, 0) / 2;
  let cumulative = 0;
  for (let k = 0; k < values.length; k++) {
    cumulative += masses[k]!;
    if (cumulative > half) return values[k]!;
    if (cumulative === half) return (values[k]! + values[k + 1]!) / 2;
  }
  throw new Error('weightedMedian needs a positive total mass');
}
