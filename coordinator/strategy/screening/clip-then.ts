/**
 * Norm bounding in front of another screening: every delta is first clipped to normBound x the
 * round's median norm, then the inner screening (Multi-Krum) judges the clipped deltas. A
 * scaled or random delta can then move the model no more than an honest one even where the
 * inner screening cannot exclude anything (Multi-Krum needs 5 or more sites). For an even
 * count the lower median is used: of two sites, the smaller norm sets the bound, so one site
 * cannot raise it by sending a huge delta. A site alone is never clipped.
 */
import type { FitResult } from '../strategy.js';
import { formatNumber, l2Norm, lowerMedianOf } from '../vectors.js';
import type { Screening, Verdict } from './screening.js';

/** @example clipThen(2, multiKrumScreening(1))(results) */
export function clipThen(normBound: number, inner: Screening): Screening {
  return (results) => {
    const norms = results.map((r) => l2Norm(r.delta));
    const median = lowerMedianOf(norms);
    const bound = normBound * median;
    const clipped: FitResult[] = results.map((r, k) =>
      norms[k]! > bound ? { ...r, delta: r.delta.map((v) => (v * bound) / norms[k]!) } : r,
    );
    const screened = inner(clipped);
    const verdicts = screened.verdicts.map((v, k): Verdict => {
      if (norms[k]! <= bound) return v;
      const why = `norm ${formatNumber(norms[k]!)} clipped to ${formatNumber(bound)} (${normBound}x the round's median ${formatNumber(median)})`;
      if (v.action === 'excluded') return { ...v, reason: `${why}; ${v.reason}` };
      return {
        action: 'clipped',
        reason: v.reason ? `${why}; ${v.reason}` : why,
        weight: v.weight,
      };
    });
    return { combined: screened.combined, verdicts };
  };
}
