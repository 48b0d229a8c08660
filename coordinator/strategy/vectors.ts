/**
 * Vector arithmetic for the strategies. Sums run in float64 over float32 inputs, so rounding
 * happens once, when a result is stored back as float32.
 */

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

export function l2Norm(v: ArrayLike<number>): number {
  return Math.sqrt(dot(v, v));
}

/** Cosine of the angle between a and b; 0 when either is the zero vector (no direction). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const norms = l2Norm(a) * l2Norm(b);
  if (norms === 0) return 0;
  return Math.min(1, Math.max(-1, dot(a, b) / norms));
}

export function squaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return sum;
}

/**
 * sum_k mass_k * scale_k * delta_k / sum_k mass_k, in the order given. Integer masses keep
 * mass * delta exact, so identical deltas average to exactly themselves.
 */
export function weightedMean(
  deltas: readonly Float32Array[],
  masses: readonly number[],
  scales?: readonly number[],
): Float64Array {
  const sum = new Float64Array(deltas[0]!.length);
  let total = 0;
  deltas.forEach((delta, k) => {
    const coefficient = masses[k]! * (scales?.[k] ?? 1);
    total += masses[k]!;
    if (coefficient !== 0) for (let i = 0; i < sum.length; i++) sum[i]! += coefficient * delta[i]!;
  });
  for (let i = 0; i < sum.length; i++) sum[i]! /= total;
  return sum;
}

/** Each mass as a share of their total. */
export function sharesOf(masses: readonly number[]): number[] {
  const total = masses.reduce((sum, m) => sum + m, 0);
  return masses.map((m) => m / total);
}

/** The middle value, or the mean of the two middle values for an even count. */
export function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  if (sorted.length % 2 === 1) return sorted[middle]!;
  return (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * The lower of the two middle values for an even count (the smaller value of two), else the
 * median: a bound derived from it cannot be raised by the larger half of the values.
 */
export function lowerMedianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1]!;
}

/** A number as people read it in a report: 5 significant digits, or 4.12e9 when far from 1. */
export function formatNumber(x: number): string {
  if (x === 0 || (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6))
    return String(Number(x.toPrecision(5)));
  return x.toExponential(2).replace('e+', 'e');
}
