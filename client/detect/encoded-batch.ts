/**
 * A batch of encoded flows as the encode worker hands it to the scorer: codes for the model,
 * and per row just what alert lines and evaluation need (line, label, raw values packed in
 * one string, the flow's context as JSON), because one string per row crosses a thread far
 * cheaper than an array or an object.
 */
import type { FlowContext } from '../../shared/flows/flow-context.js';
import type { BatchScores } from '../../shared/model/detector-model.js';

export interface EncodedBatch {
  readonly count: number;
  /** Row-major codes, `fieldCount` per row. */
  readonly codes: Uint16Array;
  /** Physical line of each row in its file. */
  readonly lines: Uint32Array;
  /** Each row's file, by its position in the files read. */
  readonly files: Uint32Array;
  readonly labels: readonly (string | null)[];
  /** Each row's model-field values as text, joined by {@link VALUE_SEPARATOR}. */
  readonly packedValues: readonly string[];
  /** Each row's FlowContext as a JSON object ('' when the format carries none). */
  readonly contexts: readonly string[];
  /** The model's scores, when the encode worker scored this batch itself (worker-scorer.ts). */
  readonly scored?: BatchScores;
}

/** ASCII unit separator: never part of a parsed field value that we keep. */
export const VALUE_SEPARATOR = '\x1f';

export function packValues(values: readonly (string | number)[]): string {
  return values.join(VALUE_SEPARATOR);
}

/**
 * The raw value of field `index` in a packed row, a number as its decimal text. An alert line
 * names a few fields of each row: finding those is cheaper than splitting all of them.
 */
export function packedValueAt(packed: string, index: number): string {
  let start = 0;
  for (let i = 0; i < index; i++) start = packed.indexOf(VALUE_SEPARATOR, start) + 1;
  const end = packed.indexOf(VALUE_SEPARATOR, start);
  return end < 0 ? packed.slice(start) : packed.slice(start, end);
}

/**
 * The raw values of fields `indices[0 .. count)` of a packed row, into `out` in the same order:
 * one pass over the row up to the last of them, where a packedValueAt for each would start
 * over from the beginning every time.
 */
export function packedValuesAt(
  packed: string,
  indices: Int32Array,
  count: number,
  out: string[],
): void {
  let last = -1;
  for (let k = 0; k < count; k++) last = Math.max(last, indices[k]!);
  let start = 0;
  for (let field = 0; field <= last; field++) {
    const end = packed.indexOf(VALUE_SEPARATOR, start);
    const stop = end < 0 ? packed.length : end;
    for (let k = 0; k < count; k++) if (indices[k] === field) out[k] = packed.slice(start, stop);
    start = stop + 1;
  }
}

/**
 * The context's known values as a JSON object, keys in snake case as the rest of alerts.jsonl;
 * unset values are left out (JSON.stringify drops undefined). One fixed-shape object measured
 * fastest of the ways tried, and this runs for every scored flow.
 */
export function contextJson(context: FlowContext): string {
  return JSON.stringify({
    ts: context.ts ?? undefined,
    uid: context.uid ?? undefined,
    src_addr: context.srcAddr ?? undefined,
    src_port: context.srcPort ?? undefined,
    dst_addr: context.dstAddr ?? undefined,
    dst_port: context.dstPort ?? undefined,
  });
}
