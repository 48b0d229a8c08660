/**
 * Coordinate-wise example-weighted trimmed mean (Yin et al. 2018): per coordinate, drop
 * trimShare of the example mass from each end and average the rest.
 */
import { sharesOf } from '../vectors.js';
import { combineByCoordinate, type SortedStatistic } from './by-coordinate.js';
import { kept, type Screening } from './screening.js';

/**
 * As for the median, each report's weight is its site's share of the examples; how much of
 * it survives the trim differs per coordinate.
 *
 * @example trimmedMeanScreening(0.2)(results) // drops 20% of the example mass at each end
 */
export function trimmedMeanScreening(trimShare: number): Screening {
  const statistic = trimmedMean(trimShare);
  return (results) => ({
    combined: combineByCoordinate(results, statistic),
    verdicts: sharesOf(results.map((r) => r.examples)).map(kept),
  });
}

/**
 * Site k holds the mass interval [below, below + mass_k) on the sorted axis; it counts with
 * the part of that interval inside [cut, total - cut], so a site straddling a cut counts in
 * part. trimShare < 0.5 keeps that window non-empty.
 */
export function trimmedMean(trimShare: number): SortedStatistic {
  return (values, masses) => {
    const total = masses.reduce((sum, m) => sum + m, 0);
    const low = trimShare * total;
    const high = total - low;
    let below = 0;
    let sum = 0;
    let keptMass = 0;
    values.forEach((value, k) => {
      const above = below + masses[k]!;
      const part = Math.min(above, high) - Math.max(below, low);
      if (part > 0) [sum, keptMass] = [sum + part * value, keptMass + part];
      below = above;
    });
    return sum / keptMass;
  };
}
