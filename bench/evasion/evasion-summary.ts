/** What one search did to one category of attack flows, and its medians over seeds. */
import { type Spread, spreadOf } from '../federation/seed-summary.js';
import { median } from '../stats.js';
import type { SearchResult } from './greedy-search.js';

export interface CategoryOutcome {
  readonly flows: number;
  /** Share alerted at the 1%-FPR threshold before the search, and after it. */
  readonly recallBefore: number;
  readonly recallAfter: number;
  /** Mean edits applied per flow searched (the flows alerted before). */
  readonly meanEdits: number;
  /** Median of (score before - score after) over the flows searched. */
  readonly medianScoreDrop: number;
  /** Edits applied, by kind (pad, split, merge, stretch, port, decoys), over the flows searched. */
  readonly editsUsed: Record<string, number>;
}

export function categoryOutcome(results: readonly SearchResult<unknown>[]): CategoryOutcome {
  const searched = results.filter((r) => r.alertedBefore);
  const alertedAfter = searched.filter((r) => !r.evaded).length;
  const n = Math.max(1, results.length);
  return {
    flows: results.length,
    recallBefore: searched.length / n,
    recallAfter: alertedAfter / n,
    meanEdits: searched.length ? searched.reduce((s, r) => s + r.edits, 0) / searched.length : 0,
    medianScoreDrop: searched.length ? median(searched.map((r) => r.before - r.after)) : 0,
    editsUsed: countKinds(searched.flatMap((r) => r.path)),
  };
}

function countKinds(path: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of path) {
    const kind = name.split(' ')[0]!;
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

export interface SeedOutcome {
  readonly seed: number;
  /** FPR observed on the test data's normal flows at the threshold the search attacks. */
  readonly observedFpr: number;
  readonly byCategory: Record<string, CategoryOutcome>;
}

export interface OutcomeSpread {
  readonly observedFpr: Spread;
  readonly byCategory: Record<
    string,
    {
      flows: number;
      recallBefore: Spread;
      recallAfter: Spread;
      meanEdits: Spread;
      medianScoreDrop: Spread;
      /** Edits applied by kind, summed over the seeds. */
      editsUsed: Record<string, number>;
    }
  >;
}

export function outcomeSpread(runs: readonly SeedOutcome[]): OutcomeSpread {
  const categories = Object.keys(runs[0]?.byCategory ?? {});
  return {
    observedFpr: spreadOf(runs, (r) => r.observedFpr),
    byCategory: Object.fromEntries(
      categories.map((c) => [
        c,
        {
          flows: runs[0]!.byCategory[c]!.flows,
          recallBefore: spreadOf(runs, (r) => r.byCategory[c]!.recallBefore),
          recallAfter: spreadOf(runs, (r) => r.byCategory[c]!.recallAfter),
          meanEdits: spreadOf(runs, (r) => r.byCategory[c]!.meanEdits),
          medianScoreDrop: spreadOf(runs, (r) => r.byCategory[c]!.medianScoreDrop),
          editsUsed: countKinds(
            runs.flatMap((r) =>
              Object.entries(r.byCategory[c]!.editsUsed).flatMap(([k, n]) => Array(n).fill(k)),
            ),
          ),
        },
      ]),
    ),
  };
}
