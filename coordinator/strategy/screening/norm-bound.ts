/**
 * Norm bounding: a delta longer than normBound x the round's median delta norm is scaled down
 * to that length, then the deltas are averaged by examples. Limits what one site can move.
 * The median is over sites, not examples: a site cannot stretch the bound by claiming more
 * examples. A zero median bounds every delta to length 0 (scale 0, never 0 / 0).
 */
import { clipThen } from './clip-then.js';
import { noScreening } from './no-screening.js';
import type { Screening } from './screening.js';

/** @example normBoundScreening(2)(results) // clips deltas longer than twice the median norm */
export function normBoundScreening(normBound: number): Screening {
  return clipThen(normBound, noScreening);
}
