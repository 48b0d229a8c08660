// Detection quality of anomaly scores against ground-truth labels: AUROC, average precision,
// the ROC curve and the confusion counts at one threshold. Higher score = more anomalous.

/** Anomaly scores, one per flow; higher means more anomalous. */
export type Scores = ArrayLike<number>;
/** Ground truth, one per flow: true / non-zero means attack (the positive class). */
export type Positives = ArrayLike<boolean> | Uint8Array;

/** Confusion counts and rates when a flow is an alert iff its score is > the threshold. */
export interface RatesAtThreshold {
  /** Share of attacks alerted (detection rate); NaN when there are no attacks. */
  tpr: number;
  /** Share of normal flows alerted; NaN when there are no normal flows. */
  fpr: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** A ROC curve as parallel arrays, from (0, 0) to (1, 1). */
export interface RocCurve {
  fpr: Float64Array;
  tpr: Float64Array;
  /**
   * Point k is what alerting on `score > thresholds[k]` gives, so
   * `ratesAtThreshold(scores, positives, thresholds[k])` reproduces it exactly. The first point
   * uses the highest score (nothing above it), the last one -Infinity (everything alerted).
   */
  thresholds: Float64Array;
}

/**
 * The distinct scores in descending order, with how many attacks (tp) and normal flows (fp)
 * score at least that much. Built from two native typed-array sorts (no comparator callback),
 * which is what keeps 1e6 scores well under a second.
 */
interface DescendingGroups {
  values: Float64Array;
  tp: Float64Array;
  fp: Float64Array;
  positives: number;
  negatives: number;
}

function checkInputs(scores: Scores, positives: Positives): void {
  if (scores.length !== positives.length) {
    throw new RangeError(
      `scores and positives must have the same length, got ${scores.length} scores and ${positives.length} labels`,
    );
  }
  if (scores.length === 0) throw new RangeError('no scores given');
}

function scoreAt(scores: Scores, i: number): number {
  const s = scores[i]!;
  if (Number.isNaN(s)) throw new RangeError(`score ${i} is NaN: scores must be numbers`);
  return s;
}

function descendingGroups(scores: Scores, positives: Positives): DescendingGroups {
  checkInputs(scores, positives);
  const n = scores.length;
  let positiveCount = 0;
  for (let i = 0; i < n; i++) if (positives[i]) positiveCount++;
  const pos = new Float64Array(positiveCount);
  const neg = new Float64Array(n - positiveCount);
  let p = 0;
  let q = 0;
  for (let i = 0; i < n; i++) {
    const s = scoreAt(scores, i);
    if (positives[i]) pos[p++] = s;
    else neg[q++] = s;
  }
  pos.sort();
  neg.sort();

  // Merge both ascending arrays from their ends; equal scores (ties) form one group.
  const values = new Float64Array(n);
  const tp = new Float64Array(n);
  const fp = new Float64Array(n);
  let i = pos.length - 1;
  let j = neg.length - 1;
  let groups = 0;
  let tpSoFar = 0;
  let fpSoFar = 0;
  while (i >= 0 || j >= 0) {
    const v = i < 0 ? neg[j]! : j < 0 ? pos[i]! : Math.max(pos[i]!, neg[j]!);
    while (i >= 0 && pos[i] === v) {
      tpSoFar++;
      i--;
    }
    while (j >= 0 && neg[j] === v) {
      fpSoFar++;
      j--;
    }
    values[groups] = v;
    tp[groups] = tpSoFar;
    fp[groups] = fpSoFar;
    groups++;
  }
  return {
    values: values.subarray(0, groups),
    tp: tp.subarray(0, groups),
    fp: fp.subarray(0, groups),
    positives: pos.length,
    negatives: neg.length,
  };
}

function requireBothClasses(g: DescendingGroups, what: string): void {
  if (g.positives === 0) {
    throw new RangeError(`${what} is undefined without positives: no flow is labelled as attack`);
  }
  if (g.negatives === 0) {
    throw new RangeError(`${what} is undefined without negatives: no flow is labelled as normal`);
  }
}

/**
 * Area under the ROC curve, exactly: the probability that a random attack scores above a random
 * normal flow, ties counting one half (Mann-Whitney U with average ranks). O(n log n).
 * Throws when either class is empty, the lengths differ, or a score is NaN.
 * @example auroc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]) // 0.75
 */
export function auroc(scores: Scores, positives: Positives): number {
  const g = descendingGroups(scores, positives);
  requireBothClasses(g, 'AUROC');
  // Trapezoids between consecutive groups; a tied group is a diagonal step worth half.
  let area = 0;
  let tpBefore = 0;
  let fpBefore = 0;
  for (let k = 0; k < g.values.length; k++) {
    const tp = g.tp[k]!;
    const fp = g.fp[k]!;
    area += (fp - fpBefore) * (tpBefore + tp);
    tpBefore = tp;
    fpBefore = fp;
  }
  // Counts are integers, so `area` (twice the pair count) stays exact below 2^53.
  return area / (2 * g.positives * g.negatives);
}

/**
 * Area under the precision-recall curve as average precision, the same step-wise sum as
 * scikit-learn's `average_precision_score`: sum over distinct thresholds of
 * (recall gained) x (precision there), tied scores taken together. Needs at least one attack;
 * with no normal flows it is 1.
 * @example auprc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]) // 0.8333...
 */
export function auprc(scores: Scores, positives: Positives): number {
  const g = descendingGroups(scores, positives);
  if (g.positives === 0) {
    throw new RangeError('AUPRC is undefined without positives: no flow is labelled as attack');
  }
  let sum = 0;
  let tpBefore = 0;
  for (let k = 0; k < g.values.length; k++) {
    const tp = g.tp[k]!;
    if (tp > tpBefore) sum += ((tp - tpBefore) * tp) / (tp + g.fp[k]!);
    tpBefore = tp;
  }
  return sum / g.positives;
}

/**
 * The ROC curve, from (0, 0) to (1, 1). Points on a straight segment are dropped (the curve is
 * unchanged). If more than `maxPoints` remain, it keeps only exact curve points (never
 * interpolated ones), half of the budget spaced evenly along the curve for a linear FPR axis and
 * half for a log FPR axis, so the drawn curve follows the exact one on either: at the default
 * 2000 points, within 2/999 of the axis range (a pixel on a 500-pixel chart).
 * Throws when either class is empty, the lengths differ, or a score is NaN.
 * @example rocCurve(scores, isAttack, 500).fpr
 */
export function rocCurve(scores: Scores, positives: Positives, maxPoints = 2000): RocCurve {
  if (!(maxPoints >= 2)) throw new RangeError(`maxPoints must be at least 2, got ${maxPoints}`);
  const g = descendingGroups(scores, positives);
  requireBothClasses(g, 'the ROC curve');
  const groups = g.values.length;
  // Vertex k = 0 is the origin; vertex k >= 1 is after group k - 1.
  const fpAt = (k: number) => (k === 0 ? 0 : g.fp[k - 1]!);
  const tpAt = (k: number) => (k === 0 ? 0 : g.tp[k - 1]!);

  const kept: number[] = [0];
  for (let k = 1; k < groups; k++) {
    const prev = kept[kept.length - 1]!;
    // Collinearity on integer counts is exact; cross products stay below 2^53 for n < 9e7.
    const turns =
      (fpAt(k) - fpAt(prev)) * (tpAt(k + 1) - tpAt(k)) !==
      (tpAt(k) - tpAt(prev)) * (fpAt(k + 1) - fpAt(k));
    if (turns) kept.push(k);
  }
  kept.push(groups);

  const chosen =
    kept.length > maxPoints
      ? thinVertices(kept, fpAt, tpAt, g.negatives, g.positives, maxPoints)
      : kept;
  const fpr = new Float64Array(chosen.length);
  const tpr = new Float64Array(chosen.length);
  const thresholds = new Float64Array(chosen.length);
  chosen.forEach((k, m) => {
    fpr[m] = fpAt(k) / g.negatives;
    tpr[m] = tpAt(k) / g.positives;
    thresholds[m] = k < groups ? g.values[k]! : Number.NEGATIVE_INFINITY;
  });
  return { fpr, tpr, thresholds };
}

/**
 * Keeps the first and last vertex and every vertex far enough from the last kept one, by either
 * of two distances: |dFPR| + |dTPR| (linear axis) or |d log FPR| / log N + |dTPR| (log axis, FPR
 * floored at 1/N, the smallest non-zero FPR). Each distance sums to at most 2 along the curve,
 * so a step of 2 / half picks at most `half` vertices per distance: maxPoints in all.
 */
function thinVertices(
  vertices: readonly number[],
  fpAt: (k: number) => number,
  tpAt: (k: number) => number,
  negatives: number,
  positives: number,
  maxPoints: number,
): number[] {
  const half = Math.floor((maxPoints - 2) / 2);
  const step = half > 0 ? 2 / half : Number.POSITIVE_INFINITY;
  const logRange = Math.log(negatives);
  const logFpr = (fp: number) => Math.log(Math.max(fp, 1) / negatives);
  const chosen = [vertices[0]!];
  let lastF = 0;
  let lastLogF = logFpr(0);
  let lastT = 0;
  for (let m = 1; m < vertices.length - 1; m++) {
    const f = fpAt(vertices[m]!) / negatives;
    const lf = logFpr(fpAt(vertices[m]!));
    const t = tpAt(vertices[m]!) / positives;
    const linear = f - lastF + (t - lastT);
    const logarithmic = logRange > 0 ? (lf - lastLogF) / logRange + (t - lastT) : 0;
    if (linear >= step || logarithmic >= step) {
      chosen.push(vertices[m]!);
      lastF = f;
      lastLogF = lf;
      lastT = t;
    }
  }
  chosen.push(vertices[vertices.length - 1]!);
  return chosen;
}

/**
 * Confusion counts when a flow is an alert iff `score > threshold`, and the rates they give
 * (NaN for the rate of an empty class, so it cannot pass for a perfect 0 or 1). O(n).
 * @example ratesAtThreshold(scores, isAttack, thresholdAt1PercentFpr).tpr
 */
export function ratesAtThreshold(
  scores: Scores,
  positives: Positives,
  threshold: number,
): RatesAtThreshold {
  checkInputs(scores, positives);
  if (Number.isNaN(threshold)) throw new RangeError('threshold is NaN');
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const alert = scoreAt(scores, i) > threshold;
    if (positives[i]) {
      if (alert) tp++;
      else fn++;
    } else if (alert) fp++;
    else tn++;
  }
  return { tpr: tp / (tp + fn), fpr: fp / (fp + tn), tp, fp, tn, fn };
}
