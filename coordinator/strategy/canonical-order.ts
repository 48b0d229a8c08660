/**
 * One canonical order of a round's results, so that float sums, ties and state never depend
 * on the order in which sites happened to answer.
 */
import type { FitResult } from './strategy.js';

/** Indices into `results`, sorted by client id (then examples, then delta, for duplicates). */
export function canonicalOrder(results: readonly FitResult[]): number[] {
  return results.map((_, i) => i).sort((i, j) => compareResults(results[i]!, results[j]!));
}

function compareResults(a: FitResult, b: FitResult): number {
  // Code-unit order, not localeCompare: the order must not depend on the machine's locale.
  if (a.clientId !== b.clientId) return a.clientId < b.clientId ? -1 : 1;
  if (a.examples !== b.examples) return a.examples - b.examples;
  return compareDeltas(a.delta, b.delta);
}

function compareDeltas(a: Float32Array, b: Float32Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}
