/** Summaries over seeds, as every federation benchmark reports them. */
import { median } from '../stats.js';

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: readonly number[];
}

export function spread(runs: readonly number[]): Spread {
  return { median: median(runs), min: Math.min(...runs), max: Math.max(...runs), runs };
}

/** The per-seed values of one numeric property, summarised. */
export function spreadOf<T>(runs: readonly T[], pick: (run: T) => number): Spread {
  return spread(runs.map(pick));
}
