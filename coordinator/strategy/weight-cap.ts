/**
 * Caps the example count behind each delta at a multiple of the round's median count, before
 * screening and combining. A site's weight in every example-weighted combination follows the
 * count it claims, and a modified site can claim up to what it declared in the encoder round
 * (federation.maxSiteRows); without a cap, one site claiming 10^8 flows decides the model
 * alone. The median is over sites and the lower one, so a single site cannot move it.
 */
import type { FitResult } from './strategy.js';
import { lowerMedianOf } from './vectors.js';

/** `ratio` 0 leaves the counts as claimed. @example capExamples(results, 5) */
export function capExamples(results: readonly FitResult[], ratio: number): readonly FitResult[] {
  if (ratio === 0 || results.length < 2) return results;
  const cap = ratio * lowerMedianOf(results.map((r) => r.examples));
  return results.map((r) => (r.examples > cap ? { ...r, examples: cap } : r));
}
