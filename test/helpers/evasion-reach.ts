import type { EvasionRow } from '../../bench/evasion/evasion-row.js';
import type { Edit } from '../../bench/evasion/greedy-search.js';

/** Every sequence of up to `depth` edits from the flow, breadth first (capped in number). */
export function reachable(
  row: EvasionRow,
  edits: readonly Edit<EvasionRow>[],
  depth: number,
): EvasionRow[] {
  let frontier = [row];
  const all: EvasionRow[] = [];
  for (let d = 0; d < depth; d++) {
    frontier = frontier
      .flatMap((r) => edits.map((e) => e.apply(r, row)).filter((x): x is EvasionRow => x !== null))
      .slice(0, 3000);
    all.push(...frontier);
  }
  return all;
}
