/** Turns screening's verdicts into the per-site reports of a round, in the input order. */
import type { Verdict } from './screening/screening.js';
import type { FitResult, UpdateReport } from './strategy.js';
import { cosine, l2Norm } from './vectors.js';

/**
 * `order[position]` is the input index of the result screened at `position`; the norm and
 * cosine are of the delta as received, against the combined update.
 */
export function reportUpdates(
  results: readonly FitResult[],
  order: readonly number[],
  verdicts: readonly Verdict[],
  combined: Float64Array,
): UpdateReport[] {
  const byInput: Verdict[] = [];
  order.forEach((input, position) => {
    byInput[input] = verdicts[position]!;
  });
  return results.map(({ clientId, delta }, input) => {
    const { action, reason, weight } = byInput[input]!;
    const measured = { clientId, norm: l2Norm(delta), cosine: cosine(delta, combined) };
    return reason === undefined
      ? { ...measured, action, weight }
      : { ...measured, action, reason, weight };
  });
}
