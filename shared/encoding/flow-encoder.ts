/** Turns parsed flow rows into per-field integer codes under a fixed encoder spec. */
import type { FlowRow } from '../flows/schema.js';
import { cardinality, type EncoderSpec } from './encoder-spec.js';

export class FlowEncoder {
  /** Codes per field. */
  readonly cardinalities: Int32Array;
  /** Where each field's codes start in the concatenated one-hot layout. */
  readonly offsets: Int32Array;
  /** Total one-hot width (sum of cardinalities). */
  readonly width: number;
  private readonly lookups: (Map<string, number> | null)[];
  private readonly edges: (Float64Array | null)[];

  constructor(readonly spec: EncoderSpec) {
    const n = spec.fields.length;
    this.cardinalities = new Int32Array(n);
    this.offsets = new Int32Array(n);
    let width = 0;
    spec.fields.forEach((field, i) => {
      this.cardinalities[i] = cardinality(field);
      this.offsets[i] = width;
      width += this.cardinalities[i]!;
    });
    this.width = width;
    this.lookups = spec.fields.map((f) =>
      f.kind === 'categorical' ? new Map(f.vocabulary.map((v, j) => [v, j + 1])) : null,
    );
    this.edges = spec.fields.map((f) => (f.kind === 'numeric' ? Float64Array.from(f.edges) : null));
  }

  get fieldCount(): number {
    return this.spec.fields.length;
  }

  /** Writes the row's codes into `out` at `at` (one code per field). */
  encodeInto(row: FlowRow, out: Uint16Array, at: number): void {
    const { values } = row;
    for (let i = 0; i < this.lookups.length; i++) {
      const lookup = this.lookups[i];
      out[at + i] = lookup
        ? (lookup.get(String(values[i])) ?? 0)
        : numericCode(this.edges[i]!, values[i] as number);
    }
  }

  encode(row: FlowRow): Uint16Array {
    const codes = new Uint16Array(this.fieldCount);
    this.encodeInto(row, codes, 0);
    return codes;
  }
}

/** Zero/unset -> 0; otherwise 1 + number of edges <= value (binary search). */
export function numericCode(edges: Float64Array, value: number): number {
  if (!(value > 0)) return 0;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}
