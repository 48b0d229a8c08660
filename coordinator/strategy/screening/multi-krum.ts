/**
 * Multi-Krum (Blanchard et al. 2017; El Mhamdi et al. 2018): score each delta by the summed
 * squared distances to its n - f - 2 nearest other deltas, keep the n - f lowest scores and
 * average those by examples. Outliers and sign flips sit far from the honest cluster.
 */
import type { FitResult } from '../strategy.js';
import { formatNumber, medianOf, sharesOf, squaredDistance, weightedMean } from '../vectors.js';
import type { Screening, Verdict } from './screening.js';

/**
 * Krum's guarantee needs n > 2f + 2. With fewer results, rather than fail the round, it
 * tolerates f' = max(0, min(f, floor((n - 3) / 2))) and says so in every report's reason;
 * with f' = 0 (fewer than 5 results) nothing is excluded. Of the f' highest scores, only those
 * above `outlierRatio` x the median score are excluded (0: all f', as in the paper): sites
 * that see different traffic score high too, and excluding one every round would silently
 * drop an honest partner.
 *
 * @example multiKrumScreening(1, 2)(results) // excludes the highest of 5 if above 2x the median
 */
export function multiKrumScreening(byzantine: number, outlierRatio = 0): Screening {
  return (results) => {
    const n = results.length;
    const f = toleratedFaults(byzantine, n);
    const scores = f === 0 ? [] : krumScores(results, n - f - 2);
    const floor = outlierRatio * medianOf(scores);
    const excluded = new Set([...highestScores(scores, f)].filter((k) => scores[k]! > floor));
    const masses = results.map((r, k) => (excluded.has(k) ? 0 : r.examples));
    const note = f < byzantine ? degradedNote(byzantine, f, n) : undefined;
    const verdicts = sharesOf(masses).map((weight, k) => {
      if (!excluded.has(k)) return verdict('kept', weight, [note]);
      const why = `Multi-Krum score ${formatNumber(scores[k]!)}, among the ${f} highest of ${n}${outlierRatio > 0 ? ` and above ${outlierRatio}x the median ${formatNumber(medianOf(scores))}` : ''}`;
      return verdict('excluded', 0, [`${why}: excluded`, note]);
    });
    const deltas = results.map((r) => r.delta);
    return { combined: weightedMean(deltas, masses), verdicts };
  };
}

function verdict(action: Verdict['action'], weight: number, why: (string | undefined)[]): Verdict {
  const reason = why.filter((part) => part !== undefined).join('; ');
  return reason === '' ? { action, weight } : { action, reason, weight };
}

/** The f' Multi-Krum can honour with this many results (see multiKrumScreening). */
export function toleratedFaults(byzantine: number, sites: number): number {
  return Math.max(0, Math.min(byzantine, Math.floor((sites - 3) / 2)));
}

function degradedNote(byzantine: number, f: number, n: number): string {
  return `Multi-Krum tolerates f=${f}, not the configured ${byzantine}: ${n} results, f needs n > 2f + 2`;
}

/** Indices of the f highest scores; equal scores rank by canonical order (later = higher). */
function highestScores(scores: readonly number[], f: number): Set<number> {
  const ranked = scores.map((_, k) => k).sort((a, b) => scores[a]! - scores[b]! || a - b);
  return new Set(ranked.slice(scores.length - f, scores.length));
}

/** Each delta's summed squared distance to its `neighbours` nearest other deltas. */
export function krumScores(results: readonly FitResult[], neighbours: number): number[] {
  const n = results.length;
  const distances = Array.from({ length: n }, () => new Float64Array(n));
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const d = squaredDistance(results[a]!.delta, results[b]!.delta);
      [distances[a]![b], distances[b]![a]] = [d, d];
    }
  }
  return distances.map((row, k) => {
    const others = [...row].filter((_, j) => j !== k).sort((x, y) => x - y);
    return others.slice(0, neighbours).reduce((sum, d) => sum + d, 0);
  });
}
