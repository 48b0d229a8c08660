/**
 * The screening step of a strategy: it decides per site to keep, clip or exclude a delta (or
 * replaces the mean by a robust statistic) and combines what it lets through.
 */
import type { FitResult, UpdateReport } from '../strategy.js';

/** What screening decided for one site; the composer adds the norm and cosine. */
export type Verdict = Pick<UpdateReport, 'action' | 'reason' | 'weight'>;

export interface Screened {
  /** The combined update (the round's pseudo-gradient), in float64 until the server step. */
  readonly combined: Float64Array;
  /** One verdict per result, in the order the results were given. */
  readonly verdicts: readonly Verdict[];
}

/**
 * Called with at least one checked result, already in canonical order (canonical-order.ts),
 * so an implementation may sum and break ties in the order given.
 */
export type Screening = (results: readonly FitResult[]) => Screened;

export function kept(weight: number): Verdict {
  return { action: 'kept', weight };
}
