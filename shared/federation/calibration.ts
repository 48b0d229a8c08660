/**
 * Federated calibration: sites histogram the scores of their held-out normal flows on one
 * published grid; the coordinator adds the histograms and places shared thresholds at the
 * target false-positive rates. No site's individual scores leave it.
 */
import type { ThresholdSet } from '../model/thresholds.js';
import {
  bucketCount,
  bucketLowerEdge,
  type LogGrid,
  LogHistogram,
} from '../stats/log-histogram.js';

/** Scores (nats) from 0.01 to 100,000 at ~1.2% resolution; 1,402 buckets. */
export const SCORE_GRID: LogGrid = { minExp: -2, maxExp: 5, perDecade: 200 };

export function scoreHistogram(scores: ArrayLike<number>, grid: LogGrid = SCORE_GRID): number[] {
  const histogram = new LogHistogram(grid);
  for (let i = 0; i < scores.length; i++) histogram.add(scores[i]!);
  return [...histogram.counts];
}

/** Why a histogram does not fit the grid, or null. */
export function histogramProblem(
  counts: readonly number[],
  flows: number,
  grid: LogGrid = SCORE_GRID,
): string | null {
  const buckets = bucketCount(grid);
  if (counts.length !== buckets)
    return `histogram has ${counts.length} buckets, the score grid has ${buckets}`;
  if (counts.some((c) => !(Number.isInteger(c) && c >= 0)))
    return 'histogram counts must be non-negative integers';
  const total = counts.reduce((a, b) => a + b, 0);
  if (total !== flows) return `histogram holds ${total} flows, the report says ${flows}`;
  return null;
}

/**
 * Thresholds from merged counts: for each target, the upper edge of the lowest bucket such
 * that at most `fpr` of the calibration flows lie in higher buckets. Bucket edges make this
 * conservative by at most one bucket width (~1.2%).
 */
export function thresholdsFromHistogram(
  counts: readonly number[],
  targetFprs: readonly number[],
  grid: LogGrid = SCORE_GRID,
): ThresholdSet {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) throw new Error('no calibration flows to place thresholds on');
  const targets = targetFprs.map((fpr) => {
    let above = 0;
    let bucket = counts.length - 1;
    // Walk down from the top while the flows above the next-lower edge stay within the target.
    while (bucket > 0 && above + counts[bucket]! <= fpr * total) above += counts[bucket--]!;
    const threshold =
      bucket + 1 < counts.length ? bucketLowerEdge(grid, bucket + 1) : Number.MAX_VALUE;
    return { fpr, threshold };
  });
  // Sites score their calibration splits with the ELBO (site-worker.ts).
  return {
    source: 'federated-calibration',
    calibrationFlows: total,
    targets,
    importanceSamples: 0,
  };
}
