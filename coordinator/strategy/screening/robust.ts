/**
 * The default screening: clip every delta to normBound x the round's median norm, then exclude,
 * one at a time and at most `byzantine` in all, the delta that points against the others (its
 * cosine to the example-weighted mean of the rest below minCosine: a sign flip) or else the one
 * that stands out of the cluster (Multi-Krum score above krumOutlierRatio x the median: scaled
 * or random values). Honest sites that merely see different traffic stay in.
 */
import type { FitResult } from '../strategy.js';
import { cosine, formatNumber, medianOf, sharesOf, weightedMean } from '../vectors.js';
import { clipThen } from './clip-then.js';
import { krumScores, toleratedFaults } from './multi-krum.js';
import type { Screening, Verdict } from './screening.js';

export interface RobustTuning {
  readonly normBound: number;
  readonly byzantine: number;
  readonly krumOutlierRatio: number;
  readonly minCosine: number;
}

/** @example robustScreening({ normBound: 2, byzantine: 1, krumOutlierRatio: 2, minCosine: 0 }) */
export function robustScreening(tuning: RobustTuning): Screening {
  return clipThen(tuning.normBound, (results) => {
    const reasons = new Map<number, string>();
    while (reasons.size < tuning.byzantine) {
      const next = nextExclusion(results, reasons, tuning);
      if (!next) break;
      reasons.set(next.index, next.reason);
    }
    const masses = results.map((r, k) => (reasons.has(k) ? 0 : r.examples));
    const verdicts = sharesOf(masses).map(
      (weight, k): Verdict =>
        reasons.has(k)
          ? { action: 'excluded', reason: reasons.get(k)!, weight: 0 }
          : { action: 'kept', weight },
    );
    return {
      combined: weightedMean(
        results.map((r) => r.delta),
        masses,
      ),
      verdicts,
    };
  });
}

function nextExclusion(
  results: readonly FitResult[],
  excluded: ReadonlyMap<number, string>,
  tuning: RobustTuning,
): { index: number; reason: string } | null {
  const live = results.map((_, k) => k).filter((k) => !excluded.has(k));
  if (live.length < 3) return null;
  const cosines = live.map((k) => cosine(results[k]!.delta, meanOfOthers(results, live, k)));
  const worst = cosines.indexOf(Math.min(...cosines));
  if (cosines[worst]! < tuning.minCosine)
    return {
      index: live[worst]!,
      reason: `cosine ${formatNumber(cosines[worst]!)} to the other sites' mean update, below ${tuning.minCosine}: excluded`,
    };
  if (toleratedFaults(1, live.length) === 0) return null;
  const scores = krumScores(
    live.map((k) => results[k]!),
    live.length - 3,
  );
  const median = medianOf(scores);
  const top = scores.indexOf(Math.max(...scores));
  if (!(scores[top]! > tuning.krumOutlierRatio * median)) return null;
  return {
    index: live[top]!,
    reason: `Multi-Krum score ${formatNumber(scores[top]!)}, above ${tuning.krumOutlierRatio}x the median ${formatNumber(median)}: excluded`,
  };
}

function meanOfOthers(results: readonly FitResult[], live: readonly number[], k: number) {
  const others = live.filter((j) => j !== k);
  return weightedMean(
    others.map((j) => results[j]!.delta),
    others.map((j) => results[j]!.examples),
  );
}
