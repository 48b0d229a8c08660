/**
 * Builds a site's training data from flow files: their rows sketched (to fit the encoder) and
 * encoded into a compact table, which is then split (seeded) into training, validation and
 * calibration parts. Local training reads the files once; a federation's site sketches them
 * for the encoder round and encodes them later, under the federation's encoder.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { EncoderSpec } from '../../shared/encoding/encoder-spec.js';
import { type EncoderFitOptions, fitEncoder } from '../../shared/encoding/fit-encoder.js';
import { FlowEncoder } from '../../shared/encoding/flow-encoder.js';
import { FlowTable } from '../../shared/encoding/flow-table.js';
import { type HistorySettings, HostHistory } from '../../shared/encoding/host-history.js';
import { EncoderSketch } from '../../shared/encoding/sketch.js';
import {
  type FlowPipeline,
  type FlowSelection,
  openPipeline,
} from '../../shared/flows/pipeline.js';
import type { FlowSchema } from '../../shared/flows/schema.js';
import { SketchedRows } from './sketched-rows.js';

export interface ReadSummary {
  readonly rowsRead: number;
  readonly rowsUsed: number;
  readonly badRows: number;
}

/** Pass 1: sketch the selected rows of the files. */
export async function sketchFlows(
  selection: FlowSelection,
): Promise<{ schema: FlowSchema; sketch: EncoderSketch; summary: ReadSummary }> {
  const flows = await openPipeline(selection);
  const sketch = new EncoderSketch(flows.schema.fields);
  for await (const row of flows.rows) sketch.add(row);
  assertUsableRows(selection, sketch.rows);
  return {
    schema: flows.schema,
    sketch,
    summary: { rowsRead: flows.stats.rows, rowsUsed: sketch.rows, badRows: flows.stats.badRows },
  };
}

/** Pass 2: encode the selected rows under a fixed encoder (with histories: see encodePipeline). */
export async function encodeFlows(
  selection: FlowSelection,
  encoder: FlowEncoder,
  history: HistorySettings | null = null,
): Promise<FlowTable> {
  return encodePipeline(await openPipeline(selection), encoder, history);
}

/**
 * Encodes the rows of an opened pipeline into a table. With `history` (the sequence model's),
 * each row also gets its source host's earlier rows, found in file order before any split.
 */
export async function encodePipeline(
  flows: FlowPipeline,
  encoder: FlowEncoder,
  history: HistorySettings | null = null,
): Promise<FlowTable> {
  const table = new FlowTable(encoder.fieldCount, 4096);
  const hosts = history ? new HostHistory(encoder.fieldCount, history) : null;
  const steps = history?.steps ?? 0;
  let earlier = new Int32Array(hosts ? 4096 * steps : 0);
  for await (const row of flows.rows) {
    // The row first: appending may grow the table, and `codes` is then a new array.
    const at = table.appendRow(row.label);
    encoder.encodeInto(row, table.codes, at);
    if (!hosts) continue;
    const r = table.length - 1;
    if (earlier.length < (r + 1) * steps) {
      const grown = new Int32Array(earlier.length * 2);
      grown.set(earlier);
      earlier = grown;
    }
    const context = row.context;
    const host = context?.srcAddr ?? null;
    hosts.next(host, context?.ts ?? null, table.codes, at, r, null, 0, earlier, r * steps);
  }
  if (hosts)
    table.history = {
      steps,
      source: table.codes,
      rows: earlier.subarray(0, table.length * steps),
    };
  return table;
}

/** Training on nothing is a mistake in the selection: say which files and label. */
export function assertUsableRows(selection: FlowSelection, rows: number): void {
  if (rows > 0) return;
  const which = selection.onlyLabel === null ? '' : ` with label '${selection.onlyLabel}'`;
  throw new Error(`no usable rows${which} in ${selection.files.join(', ')}`);
}

export interface LocalData {
  readonly schema: FlowSchema;
  readonly encoderSpec: EncoderSpec;
  readonly encoder: FlowEncoder;
  readonly train: FlowTable;
  readonly validation: FlowTable;
  readonly calibration: FlowTable;
  readonly summary: ReadSummary;
}

export interface SplitShares {
  readonly validation: number;
  readonly calibration: number;
  readonly seed: number;
}

/**
 * Reads, fits the encoder, encodes and splits: everything local training needs. The flows are
 * read once: kept compactly while the encoder's sketch is built, then encoded.
 */
export async function prepareLocalData(
  selection: FlowSelection,
  fit: EncoderFitOptions,
  shares: SplitShares,
  history: HistorySettings | null = null,
): Promise<LocalData> {
  const flows = await openPipeline(selection);
  const rows = new SketchedRows(flows.schema.fields);
  for await (const row of flows.rows) rows.add(row);
  assertUsableRows(selection, rows.rows);
  const summary = { rowsRead: flows.stats.rows, rowsUsed: rows.rows, badRows: flows.stats.badRows };
  const encoderSpec = fitEncoder(rows.finishSketch(), fit);
  const encoder = new FlowEncoder(encoderSpec);
  // Each part is encoded from the kept rows: the whole table and its parts are never held at
  // once. Histories need the rows in file order with their hosts: those are read again.
  const order = splitOrder(rows.rows, shares);
  const calibration = history ? null : rows.encode(encoder, order.calibration);
  const parts =
    calibration === null
      ? splitTable(await encodeFlows(selection, encoder, history), shares)
      : {
          calibration,
          validation: rows.encode(encoder, order.validation)!,
          train: rows.encode(encoder, order.train)!,
        };
  return { schema: flows.schema, encoderSpec, encoder, ...parts, summary };
}

/** Seeded random split; calibration and validation get at least one row each when possible. */
export function splitTable(table: FlowTable, shares: SplitShares) {
  const order = splitOrder(table.length, shares);
  return {
    calibration: table.select(order.calibration),
    validation: table.select(order.validation),
    train: table.select(order.train),
  };
}

/** Which of `count` rows each part of {@link splitTable} takes, in its order. */
export function splitOrder(count: number, shares: SplitShares) {
  const order = Uint32Array.from({ length: count }, (_, i) => i);
  const rng = xoroshiro128plus(shares.seed ^ 0x5eed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  const held = (share: number) => (count >= 3 ? Math.max(1, Math.floor(count * share)) : 0);
  const nCal = held(shares.calibration);
  const nVal = held(shares.validation);
  return {
    calibration: order.subarray(0, nCal),
    validation: order.subarray(nCal, nCal + nVal),
    train: order.subarray(nCal + nVal),
  };
}
