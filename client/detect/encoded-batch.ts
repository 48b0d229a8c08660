/**
 * A batch of encoded flows as the encode worker hands it to the scorer: codes for the model,
 * and per row just what alert lines and evaluation need (line, label, raw values, the flow's
 * context as JSON). Numeric values travel in one typed array, text in one string per batch
 * with each row's start in a typed array, labels as indices into the batch's few distinct
 * ones: a thread receives a string per batch ~15x cheaper than one (or three) per row, and a
 * number is turned into text only when an alert line names its field.
 */
import type { FlowContext } from '../../shared/flows/flow-context.js';
import type { BatchScores } from '../../shared/model/detector-model.js';
import type { ModelRows } from '../../shared/model/model-rows.js';
import type { MultiHotBuilder } from '../../shared/model/multi-hot.js';

export interface EncodedBatch {
  readonly count: number;
  /** Row-major codes, `fieldCount` per row. */
  readonly codes: Uint16Array;
  /**
   * The sequence model's input: each row's source host's earlier flows, [count x steps x
   * fields] codes (NO_FLOW in empty slots), found in file order by the encode worker.
   */
  readonly history?: Uint16Array;
  /** Physical line of each row in its file. */
  readonly lines: Uint32Array;
  /** Each row's file, by its position in the files read. */
  readonly files: Uint32Array;
  /** Each row's label, by its position in `labelTable` (labelAt). */
  readonly labelIndex: Uint32Array;
  readonly labelTable: readonly (string | null)[];
  /** Row-major [count x fields]: each model-field value that is a number, NaN where it is text. */
  readonly numbers: Float64Array;
  /**
   * The rows' text model-field values (only those: a number is in `numbers`), each followed by
   * {@link VALUE_SEPARATOR}, rows one after another: row r's from valueStarts[r] (ValueRuns).
   */
  readonly valueText: string;
  readonly valueStarts: Uint32Array;
  /** Each row's FlowContext as a JSON object ('' when the format carries none), laid out alike (contextAt). */
  readonly contextText: string;
  readonly contextStarts: Uint32Array;
  /** The model's scores, when the encode worker scored this batch itself (worker-scorer.ts). */
  readonly scored?: BatchScores;
}

/** The batch as a model's input: its multi-hot rows, with their histories when it has them. */
export function batchRows(builder: MultiHotBuilder, batch: EncodedBatch): ModelRows {
  const rows = builder.rows(batch.codes, null, 0, batch.count);
  if (!batch.history || batch.count === 0) return rows;
  const steps = batch.history.length / (batch.count * rows.fields);
  return { ...rows, history: { steps, codes: batch.history } };
}

/** Row `row`'s label. */
export function labelAt(batch: EncodedBatch, row: number): string | null {
  return batch.labelTable[batch.labelIndex[row]!]!;
}

/** Row `row`'s FlowContext as JSON, '' when the format carries none. */
export function contextAt(batch: EncodedBatch, row: number): string {
  return batch.contextText.slice(batch.contextStarts[row]!, batch.contextStarts[row + 1]!);
}

/** Strings of one batch, one per row, to send as one string and where each row's begins. */
export class TextRuns {
  private parts: string[] = [];
  private starts: Uint32Array;
  private length = 0;

  constructor(size: number) {
    this.starts = new Uint32Array(size + 1);
  }

  push(text: string): void {
    this.parts.push(text);
    this.length += text.length;
    this.starts[this.parts.length] = this.length;
  }

  /** The rows' strings as one (a native join: one flat string) and their starts; starts over. */
  take(): { text: string; starts: Uint32Array } {
    const taken = {
      text: this.parts.join(''),
      starts: this.starts.slice(0, this.parts.length + 1),
    };
    this.parts = [];
    this.length = 0;
    return taken;
  }
}

/** Labels of one batch as indices into the few distinct ones. */
export class LabelRuns {
  private table: (string | null)[] = [];
  private readonly positions = new Map<string | null, number>();
  private index: Uint32Array;
  private count = 0;
  private last: string | null = null;

  constructor(size: number) {
    this.index = new Uint32Array(size);
  }

  push(label: string | null): void {
    // Rows of one label come in runs: comparing with the last label spares hashing it.
    if (label === this.last && this.count > 0) {
      this.index[this.count] = this.index[this.count - 1]!;
      this.count++;
      return;
    }
    this.last = label;
    let at = this.positions.get(label);
    if (at === undefined) {
      at = this.table.length;
      this.table.push(label);
      this.positions.set(label, at);
    }
    this.index[this.count++] = at;
  }

  take(): { labelIndex: Uint32Array; labelTable: (string | null)[] } {
    const taken = { labelIndex: this.index.slice(0, this.count), labelTable: this.table };
    this.table = [];
    this.positions.clear();
    this.count = 0;
    return taken;
  }
}

/** ASCII unit separator: never part of a parsed field value that we keep. */
export const VALUE_SEPARATOR = '\x1f';

/**
 * One batch's row values as the scorer gets them: numbers into a Float64Array (NaN where a
 * value is text), the text values alone in one string for the batch. Only text is joined, once
 * per batch: a string per row cost the worker more than splitting the line it came from, and
 * most values are numbers (38 of NSL-KDD's 41).
 */
export class ValueRuns {
  private parts: string[] = [];
  private readonly starts: Uint32Array;
  private rows = 0;
  private length = 0;

  constructor(size: number) {
    this.starts = new Uint32Array(size + 1);
  }

  /** A row's values: numbers into `numbers` from `offset`, NaN for a text value, kept here. */
  push(values: readonly (string | number)[], numbers: Float64Array, offset: number): void {
    this.starts[this.rows++] = this.length;
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      if (typeof value === 'number') {
        numbers[offset + i] = value;
      } else {
        numbers[offset + i] = Number.NaN;
        this.parts.push(value);
        this.length += value.length + 1;
      }
    }
  }

  /** The text values, each ending in the separator (a native join: one flat string), and each row's start; starts over. */
  take(): { text: string; starts: Uint32Array } {
    this.starts[this.rows] = this.length;
    const parts = this.parts;
    parts.push('');
    const taken = {
      text: parts.join(VALUE_SEPARATOR),
      starts: this.starts.slice(0, this.rows + 1),
    };
    this.parts = [];
    this.rows = 0;
    this.length = 0;
    return taken;
  }
}

/** Field `index` of row `row` as text, a number as its decimal text. */
export function valueAt(batch: EncodedBatch, row: number, index: number): string {
  const fields = batch.numbers.length / batch.count;
  const number = batch.numbers[row * fields + index]!;
  return Number.isNaN(number) ? textValueAt(batch, row, index) : String(number);
}

/**
 * The raw text of field `index` of row `row` ('' for a number). An alert line names a few
 * fields of each row: finding those is cheaper than splitting all of them.
 */
export function textValueAt(batch: EncodedBatch, row: number, index: number): string {
  const { numbers } = batch;
  const base = row * (numbers.length / batch.count);
  if (!Number.isNaN(numbers[base + index]!)) return '';
  const text = batch.valueText;
  let start = batch.valueStarts[row]!;
  // The row's text values before this one: one separator each.
  for (let i = 0; i < index; i++)
    if (Number.isNaN(numbers[base + i]!)) start = text.indexOf(VALUE_SEPARATOR, start) + 1;
  return text.slice(start, text.indexOf(VALUE_SEPARATOR, start));
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
