/**
 * Training's one read of its flows: each selected row is added to the encoder's sketch and
 * kept as small integers (a categorical value's id, a numeric value's histogram bucket), from
 * which the rows are encoded once the encoder is fitted. Reading the file a second time to
 * encode it took two fifths of a training run on 200,000 Zeek rows. The rows are kept in 2
 * bytes a field, as the encoded table keeps them, and encoded straight into the parts the
 * training data is split into, so that at most the kept rows and the parts are held at once.
 */
import type { EncoderSpec } from '../../shared/encoding/encoder-spec.js';
import { type FlowEncoder, numericCode } from '../../shared/encoding/flow-encoder.js';
import { FlowTable } from '../../shared/encoding/flow-table.js';
import { EncoderSketch } from '../../shared/encoding/sketch.js';
import type { FlowRow, ModelField } from '../../shared/flows/schema.js';
import {
  bucketCount,
  bucketLowerEdge,
  bucketOf,
  DEFAULT_LOG_GRID,
} from '../../shared/stats/log-histogram.js';

const CHUNK_ROWS = 1 << 16;
const GRID = DEFAULT_LOG_GRID;
/** Kept in place of a categorical id too large for 16 bits (the id is in `wideIds`). */
const WIDE = 0xffff;

export class SketchedRows {
  private readonly sketch: EncoderSketch;
  private readonly fieldCount: number;
  /** Per field: ids of categorical values (null for numeric fields). */
  private readonly ids: (Map<string, number> | null)[];
  /** Per categorical field: how often each id was seen. */
  private readonly counts: number[][];
  /** Per numeric field: its histogram's counts (null for categorical fields). */
  private readonly histograms: (Float64Array | null)[];
  /** Lower edge of every bucket and the one after the last (Infinity), for checking values. */
  private readonly lowerEdges: Float64Array;
  /** Row-major ids and buckets, CHUNK_ROWS rows a chunk (a grid has a few hundred buckets). */
  private readonly chunks: Uint16Array[] = [];
  /** Categorical ids from WIDE on, by position in the rows (a field of more than 65,534 values). */
  private readonly wideIds = new Map<number, number>();
  /** Per chunk, each row's label as an id: 0 for none, else 1 + its index in `labelNames`. */
  private readonly labelChunks: Uint16Array[] = [];
  private readonly labelNames: string[] = [];
  private readonly labelIds = new Map<string, number>();
  /**
   * Values whose bucket the encoder's edges could misjudge (within a rounding of a bucket
   * edge), by position in the rows: encoded from the value itself.
   */
  private readonly exact = new Map<number, number>();
  rows = 0;

  constructor(fields: readonly ModelField[]) {
    this.sketch = new EncoderSketch(fields, GRID);
    this.fieldCount = fields.length;
    this.ids = fields.map((field) => (field.kind === 'categorical' ? new Map() : null));
    this.counts = fields.map(() => []);
    this.histograms = this.sketch.fields.map((field) =>
      field.kind === 'numeric' ? field.histogram.counts : null,
    );
    const buckets = bucketCount(GRID);
    this.lowerEdges = Float64Array.from({ length: buckets + 1 }, (_, b) =>
      b === buckets ? Number.POSITIVE_INFINITY : bucketLowerEdge(GRID, b),
    );
  }

  /** Sketches and keeps one row. */
  add(row: FlowRow): void {
    const f = this.fieldCount;
    const inChunk = this.rows % CHUNK_ROWS;
    if (inChunk === 0) {
      this.chunks.push(new Uint16Array(CHUNK_ROWS * f));
      this.labelChunks.push(new Uint16Array(CHUNK_ROWS));
    }
    const chunk = this.chunks.at(-1)!;
    const at = inChunk * f;
    for (let i = 0; i < f; i++) {
      const value = row.values[i]!;
      const ids = this.ids[i];
      if (ids) {
        const key = String(value);
        let id = ids.get(key);
        if (id === undefined) {
          id = ids.size;
          ids.set(key, id);
          this.counts[i]!.push(0);
        }
        this.counts[i]![id]!++;
        chunk[at + i] = Math.min(id, WIDE);
        if (id >= WIDE) this.wideIds.set(this.rows * f + i, id);
      } else {
        const number = value as number;
        const bucket = bucketOf(GRID, number);
        this.histograms[i]![bucket]! += 1;
        chunk[at + i] = bucket;
        if (!this.inBucket(number, bucket)) this.exact.set(this.rows * f + i, number);
      }
    }
    this.labelChunks.at(-1)![inChunk] = this.labelId(row.label);
    this.rows++;
  }

  /** The sketch of the rows added, as EncoderSketch.add would have built it. */
  finishSketch(): EncoderSketch {
    this.sketch.fields.forEach((field, i) => {
      if (field.kind !== 'categorical') return;
      field.counts.clear();
      const counts = this.counts[i]!;
      let id = 0;
      for (const key of this.ids[i]!.keys()) field.counts.set(key, counts[id++]!);
    });
    this.sketch.rows = this.rows;
    return this.sketch;
  }

  /**
   * The rows encoded by `encoder`, in the order `order` gives (all rows in their order when
   * absent); null when its numeric edges are not all bucket edges of the grid (an encoder not
   * fitted from this sketch), which only the values themselves can encode.
   */
  encode(encoder: FlowEncoder, order?: ArrayLike<number>): FlowTable | null {
    const codes = this.codeTables(encoder.spec);
    if (codes === null) return null;
    const f = this.fieldCount;
    const count = order === undefined ? this.rows : order.length;
    const table = new FlowTable(f, Math.max(1, count));
    for (let k = 0; k < count; k++) {
      const r = order === undefined ? k : order[k]!;
      const chunk = this.chunks[Math.floor(r / CHUNK_ROWS)]!;
      const from = (r % CHUNK_ROWS) * f;
      const label = this.labelChunks[Math.floor(r / CHUNK_ROWS)]![r % CHUNK_ROWS]!;
      const at = table.appendRow(label === 0 ? null : this.labelNames[label - 1]!);
      const out = table.codes;
      for (let i = 0; i < f; i++) {
        const id = chunk[from + i]!;
        out[at + i] = codes[i]![id === WIDE ? this.wideIds.get(r * f + i)! : id]!;
      }
    }
    if (this.exact.size > 0) this.encodeExact(encoder, table, order);
    return table;
  }

  /** Writes the codes of the values kept exactly into `table`, the rows `order` selected. */
  private encodeExact(encoder: FlowEncoder, table: FlowTable, order?: ArrayLike<number>): void {
    const f = this.fieldCount;
    const placed = new Int32Array(this.rows).fill(-1);
    for (let k = 0; k < table.length; k++) placed[order === undefined ? k : order[k]!] = k;
    const edges = encoder.spec.fields.map((field) =>
      field.kind === 'numeric' ? Float64Array.from(field.edges) : null,
    );
    for (const [position, value] of this.exact) {
      const k = placed[Math.floor(position / f)]!;
      const i = position % f;
      if (k >= 0) table.codes[k * f + i] = numericCode(edges[i]!, value);
    }
  }

  private labelId(label: string | null): number {
    if (label === null) return 0;
    let id = this.labelIds.get(label);
    if (id === undefined) {
      // As many as a FlowTable holds.
      if (this.labelNames.length >= 0xfffe) throw new Error('more than 65,534 distinct labels');
      id = this.labelNames.push(label);
      this.labelIds.set(label, id);
    }
    return id;
  }

  /** Whether `value` lies inside `bucket` as the bucket's edges bound it. */
  private inBucket(value: number, bucket: number): boolean {
    if (bucket === 0) return value <= 0;
    return this.lowerEdges[bucket]! <= value && value < this.lowerEdges[bucket + 1]!;
  }

  /** Whether the buckets' lower edges rise strictly (what reading codes from buckets assumes). */
  private edgesIncrease(): boolean {
    return this.lowerEdges.every((edge, b) => b < 2 || edge > this.lowerEdges[b - 1]!);
  }

  /** Per field, the code of each id (categorical) or bucket (numeric). */
  private codeTables(spec: EncoderSpec): Uint16Array[] | null {
    const tables: Uint16Array[] = [];
    for (const [i, field] of spec.fields.entries()) {
      if (field.kind === 'categorical') {
        const vocabulary = new Map(field.vocabulary.map((value, j) => [value, j + 1]));
        tables.push(Uint16Array.from(this.ids[i]!.keys(), (key) => vocabulary.get(key) ?? 0));
        continue;
      }
      const edgeBuckets = field.edges.map((edge) => this.lowerEdges.indexOf(edge));
      if (edgeBuckets.some((bucket) => bucket < 2) || !this.edgesIncrease()) return null;
      // A value inside bucket b lies at or above exactly the edges of buckets up to b.
      tables.push(
        Uint16Array.from({ length: this.lowerEdges.length - 1 }, (_, b) =>
          b === 0 ? 0 : 1 + edgeBuckets.filter((edgeBucket) => edgeBucket <= b).length,
        ),
      );
    }
    return tables;
  }
}
