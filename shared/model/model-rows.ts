/**
 * A model's input batch: the rows' multi-hot columns and, for the sequence model, each row's
 * history (its source host's earlier flows as codes). Models that do not read the history
 * (the VAE, the GAN) take the same object and ignore it, so their fast paths stay as they are.
 */
import type { RowHistory } from '../encoding/flow-table.js';
import { NO_FLOW } from '../encoding/host-history.js';
import type { MultiHotRows } from '../kernels/multi-hot-kernel.js';

export interface FlowHistory {
  /** Slots per row (H). */
  readonly steps: number;
  /** [count x steps x fields] codes, oldest first, NO_FLOW where a slot holds no flow. */
  readonly codes: Uint16Array;
}

export type ModelRows = MultiHotRows & { readonly history?: FlowHistory };

/** Reused by {@link gatherHistory}: valid until its next call. */
let gathered = new Uint16Array(0);

/**
 * The codes of the history of rows `order[start .. start + count)` (or `start ..` when `order`
 * is null) of a table whose history is `history`. Lives in a buffer the next call overwrites.
 */
export function gatherHistory(
  history: RowHistory,
  fields: number,
  order: Uint32Array | null,
  start: number,
  count: number,
): FlowHistory {
  const { steps, source, rows } = history;
  const size = count * steps * fields;
  if (gathered.length < size) gathered = new Uint16Array(size);
  const codes = gathered.subarray(0, size);
  for (let r = 0; r < count; r++) {
    const row = order ? order[start + r]! : start + r;
    for (let s = 0; s < steps; s++) {
      const from = rows[row * steps + s]!;
      const to = (r * steps + s) * fields;
      if (from < 0) codes.fill(NO_FLOW, to, to + fields);
      else codes.set(source.subarray(from * fields, from * fields + fields), to);
    }
  }
  return { steps, codes };
}

/** `rows` with the history of the same rows of a table, when it has one. */
export function withHistory(
  rows: MultiHotRows,
  history: RowHistory | null,
  order: Uint32Array | null,
  start: number,
): ModelRows {
  if (!history) return rows;
  return { ...rows, history: gatherHistory(history, rows.fields, order, start, rows.count) };
}
