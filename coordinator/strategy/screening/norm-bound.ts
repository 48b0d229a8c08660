/**
 * Norm bounding: a delta longer than normBound x the round's median delta norm is scaled down
 * to that length, then the deltas are averaged by examples. Limits what one site can move.
 */
import { formatNumber, l2Norm, medianOf, sharesOf, weightedMean } from '../vectors.js';
import { kept, type Screening, type Verdict } from './screening.js';

/**
 * The median is over sites, not examples: a site cannot stretch the bound by claiming more
 * examples. A zero median bounds every delta to length 0 (scale 0, never 0 / 0).
 *
 * @example normBoundScreening(2)(results) // clips deltas longer than twice the median norm
 */
export function normBoundScreening(normBound: number): Screening {
  return (results) => {
    const norms = results.map((r) => l2Norm(r.delta));
    const median = medianOf(norms);
    const bound = normBound * median;
    const scales = norms.map((norm) => (norm > bound ? bound / norm : 1));
    const masses = results.map((r) => r.examples);
    const describe = (norm: number) =>
      `norm ${formatNumber(norm)} clipped to ${formatNumber(bound)} ` +
      `(${normBound}x the round's median ${formatNumber(median)})`;
    const verdicts = sharesOf(masses).map(
      (weight, k): Verdict =>
        norms[k]! > bound
          ? { action: 'clipped', reason: describe(norms[k]!), weight }
          : kept(weight),
    );
    const deltas = results.map((r) => r.delta);
    return { combined: weightedMean(deltas, masses, scales), verdicts };
  };
}
