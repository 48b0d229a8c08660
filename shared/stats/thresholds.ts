// Alert thresholds for target false-positive rates, from anomaly scores of held-out normal
// traffic: the exact empirical (1 - fpr) quantile, with "alert iff score > threshold".

/** The threshold chosen for one target false-positive rate. */
export interface ThresholdAtFpr {
  targetFpr: number;
  /** Alert iff score > threshold. */
  threshold: number;
  /** How many of the normal scores are strictly above the threshold (at most targetFpr * n). */
  normalsAbove: number;
  /** normalsAbove / n: the false-positive rate on the scores it was fitted on. */
  empiricalFpr: number;
  /**
   * True when targetFpr * n < 1: the scores cannot resolve the target, and the threshold is the
   * highest score (see thresholdsAtFpr). Callers should warn and ask for more normal data.
   */
  belowResolution: boolean;
}

// floor(fpr * n) in floating point can land just under an integer it equals exactly
// (0.29 * 100 = 28.999999999999996); this relative slack lets such products round up.
const PRODUCT_SLACK = 1e-12;

/**
 * For each target FPR, the lowest threshold such that at most `targetFpr * n` of the `n` normal
 * scores lie strictly above it: the ceil((1 - fpr) * n)-th smallest score, computed exactly
 * from one sort. Ties can make the achieved FPR lower than the target, never higher.
 *
 * Too few scores: with fewer than 1 / targetFpr scores (e.g. 0.001 with 500 scores) no normal
 * score may be above the threshold, so it is the highest normal score. That is the
 * conservative choice (0 of the fitted normals alert), not an error, because calibrating on a
 * small site must still work; but the true FPR of that threshold is about 1 / (n + 1), above the
 * target, so the result is flagged `belowResolution` for the caller to report.
 * Throws when there are no scores, a score is NaN, or a target is not in (0, 1).
 * @example thresholdsAtFpr(heldOutNormalScores, [0.01, 0.001]).map((t) => t.threshold)
 */
export function thresholdsAtFpr(
  normalScores: ArrayLike<number>,
  targetFprs: readonly number[],
): ThresholdAtFpr[] {
  const n = normalScores.length;
  if (n === 0) throw new RangeError('no normal scores to fit thresholds on');
  for (const fpr of targetFprs) {
    if (!(fpr > 0 && fpr < 1)) {
      throw new RangeError(`target false-positive rate must be in (0, 1), got ${fpr}`);
    }
  }
  const sorted = Float64Array.from(normalScores);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(sorted[i])) throw new RangeError(`normal score ${i} is NaN`);
  }
  sorted.sort();

  return targetFprs.map((targetFpr) => {
    const allowedAbove = Math.min(n - 1, Math.floor(targetFpr * n * (1 + PRODUCT_SLACK)));
    const threshold = sorted[n - 1 - allowedAbove]!;
    const normalsAbove = n - upperBound(sorted, threshold);
    return {
      targetFpr,
      threshold,
      normalsAbove,
      empiricalFpr: normalsAbove / n,
      belowResolution: allowedAbove === 0,
    };
  });
}

/** Index of the first element of ascending `sorted` that is greater than `value`. */
function upperBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Calibration flows below this many per unit of target FPR (10 / FPR) place a loose threshold. */
export const FLOWS_PER_FPR = 10;

/**
 * The 95% Wilson interval of a threshold's true FPR when `above` of the `n` calibration flows
 * scored above it: what the placement can promise on new normal traffic.
 */
export function fprInterval(above: number, n: number): { low: number; high: number } {
  const z = 1.96;
  const p = above / n;
  const denominator = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denominator;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * A warning for each target backed by fewer than 10 / FPR calibration flows, with the interval
 * its true FPR lies in; none when every target is well backed.
 */
export function thinThresholdWarnings(
  placed: readonly Pick<ThresholdAtFpr, 'targetFpr' | 'normalsAbove'>[],
  n: number,
): string[] {
  return placed
    .filter((p) => n < FLOWS_PER_FPR / p.targetFpr)
    .map((p) => {
      const { low, high } = fprInterval(p.normalsAbove, n);
      const wanted = Math.ceil(FLOWS_PER_FPR / p.targetFpr);
      return `warning: only ${n} calibration flows back the threshold at FPR ${p.targetFpr} (${wanted} wanted); its true FPR is likely between ${formatRate(low)} and ${formatRate(high)}`;
    });
}

function formatRate(rate: number): string {
  return `${Number((rate * 100).toPrecision(2))}%`;
}
