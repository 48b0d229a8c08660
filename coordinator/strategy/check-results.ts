/** Guards every strategy against results it cannot aggregate, naming the site at fault. */
import type { Aggregation, FitResult } from './strategy.js';

export function checkResults(global: Float32Array, results: readonly FitResult[]): void {
  if (results.length === 0) throw new Error('aggregation needs at least one result');
  for (const { clientId, delta, examples } of results) {
    if (delta.length !== global.length) {
      throw new Error(
        `delta from ${clientId} has ${delta.length} values, the model ${global.length}`,
      );
    }
    // A site without examples has no say in a weighted mean, and zero total mass has no mean.
    if (!(examples > 0 && Number.isFinite(examples))) {
      throw new Error(
        `${clientId} reported ${examples} examples; every site needs a positive number of examples`,
      );
    }
  }
}

/**
 * Why an aggregation must not be published, or null. Accepted deltas are finite, but their
 * combination, the new weights or a server optimiser's slots can still overflow float32.
 */
export function aggregationProblem(aggregation: Aggregation): string | null {
  const vectors: [string, Float32Array][] = [
    ['aggregated weight', aggregation.weights],
    ...Object.entries(aggregation.state?.slots ?? {}).map(
      ([slot, values]): [string, Float32Array] => [`server ${slot}`, values],
    ),
  ];
  for (const [what, values] of vectors) {
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) return `${what} ${bad} is ${values[bad]}`;
  }
  return null;
}
