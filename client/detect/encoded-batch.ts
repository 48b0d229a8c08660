/**
 * A batch of encoded flows as the encode worker hands it to the scorer: codes for the model,
 * and per row just what alert lines and evaluation need (line, label, raw values, the flow's
 * context as JSON). Numeric values travel in one typed array, the rest packed in one string
 * per row, because those cross a thread far cheaper than an array or an object per row, and
 * a number is turned into text only when an alert line names its field.
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
  /** Row-major [count x fields]: each model-field value that is a number, NaN where it is text. */
  readonly numbers: Float64Array;
  /** Each row's text model-field values ('' where the value is a number), joined by {@link VALUE_SEPARATOR}. */
  readonly packedValues: readonly string[];
  /** Each row's FlowContext as a JSON object ('' when the format carries none). */
  readonly contexts: readonly string[];
  /** The model's scores, when the encode worker scored this batch itself (worker-scorer.ts). */
  readonly scored?: BatchScores;
}

/** ASCII unit separator: never part of a parsed field value that we keep. */
export const VALUE_SEPARATOR = '\x1f';

/** Reused by packValues: a row's text values, '' for its numbers. */
const texts: string[] = [];

/**
 * Splits a row's values: numbers into `numbers` from `offset` (NaN for a text value), text
 * values packed into the string returned ('' for a number). Joined from one reused array:
 * a native join gives a flat string, which crosses a thread cheaper than a concatenated one.
 */
export function packValues(
  values: readonly (string | number)[],
  numbers: Float64Array,
  offset: number,
): string {
  texts.length = values.length;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (typeof value === 'number') {
      numbers[offset + i] = value;
      texts[i] = '';
    } else {
      numbers[offset + i] = Number.NaN;
      texts[i] = value;
    }
  }
  return texts.join(VALUE_SEPARATOR);
}

/** Field `index` of row `row` as text, a number as its decimal text. */
export function valueAt(batch: EncodedBatch, row: number, index: number): string {
  const fields = batch.numbers.length / batch.count;
  const number = batch.numbers[row * fields + index]!;
  return Number.isNaN(number) ? packedValueAt(batch.packedValues[row]!, index) : String(number);
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
