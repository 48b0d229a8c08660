/**
 * Training's one read of its flows: each selected row is added to the encoder's sketch and
 * kept as small integers (a categorical value's id, a numeric value's histogram bucket), from
 * which the rows are encoded once the encoder is fitted. Reading the file a second time to
 * encode it took two fifths of a training run on 200,000 Zeek rows; this keeps 4 bytes a
 * field a row while the table is built, where the table itself keeps 2.
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
  /** Row-major ids and buckets, CHUNK_ROWS rows a chunk. */
  private readonly chunks: Uint32Array[] = [];
  private readonly labels: (string | null)[] = [];
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
    if (inChunk === 0) this.chunks.push(new Uint32Array(CHUNK_ROWS * f));
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
        chunk[at + i] = id;
      } else {
        const number = value as number;
        const bucket = bucketOf(GRID, number);
        this.histograms[i]![bucket]! += 1;
        chunk[at + i] = bucket;
        if (!this.inBucket(number, bucket)) this.exact.set(this.rows * f + i, number);
      }
    }
    this.labels.push(row.label);
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
   * The rows encoded by `encoder`; null when its numeric edges are not all bucket edges of the
   * grid (an encoder not fitted from this sketch), which only the values themselves can encode.
   */
  encode(encoder: FlowEncoder): FlowTable | null {
    const codes = this.codeTables(encoder.spec);
    if (codes === null) return null;
    const f = this.fieldCount;
    const table = new FlowTable(f, Math.max(1, this.rows));
    for (let r = 0; r < this.rows; r++) {
      const chunk = this.chunks[Math.floor(r / CHUNK_ROWS)]!;
      const from = (r % CHUNK_ROWS) * f;
      const at = table.appendRow(this.labels[r]!);
      const out = table.codes;
      for (let i = 0; i < f; i++) out[at + i] = codes[i]![chunk[from + i]!]!;
    }
    const edges = encoder.spec.fields.map((field) =>
      field.kind === 'numeric' ? Float64Array.from(field.edges) : null,
    );
    for (const [position, value] of this.exact) {
      table.codes[position] = numericCode(edges[position % f]!, value);
    }
    return table;
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
