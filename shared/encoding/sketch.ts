/**
 * Mergeable per-field statistics from which an encoder spec is fitted: value counts for
 * categorical fields, log-grid histograms for numeric ones. Local training fits from one
 * site's sketch; the federated encoder round merges many sites' sketches the same way.
 */
import type { FlowRow, ModelField } from '../flows/schema.js';
import { DEFAULT_LOG_GRID, type LogGrid, LogHistogram } from '../stats/log-histogram.js';

export type FieldSketch =
  | { readonly name: string; readonly kind: 'categorical'; readonly counts: Map<string, number> }
  | {
      readonly name: string;
      readonly kind: 'numeric';
      readonly numeric: Extract<ModelField, { kind: 'numeric' }>['numeric'];
      readonly histogram: LogHistogram;
    };

export class EncoderSketch {
  readonly fields: FieldSketch[];
  rows = 0;

  constructor(fields: readonly ModelField[], grid: LogGrid = DEFAULT_LOG_GRID) {
    this.fields = fields.map((f) =>
      f.kind === 'categorical'
        ? { name: f.name, kind: 'categorical', counts: new Map<string, number>() }
        : { name: f.name, kind: 'numeric', numeric: f.numeric, histogram: new LogHistogram(grid) },
    );
  }

  add(row: FlowRow): void {
    const { fields } = this;
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      const value = row.values[i]!;
      if (field.kind === 'categorical') {
        const key = String(value);
        field.counts.set(key, (field.counts.get(key) ?? 0) + 1);
      } else {
        field.histogram.add(value as number);
      }
    }
    this.rows++;
  }

  /** Adds another sketch of the same fields (same names, kinds and grid). */
  merge(other: EncoderSketch): void {
    if (other.fields.length !== this.fields.length) {
      throw new Error(`sketch has ${other.fields.length} fields, expected ${this.fields.length}`);
    }
    this.fields.forEach((mine, i) => {
      const theirs = other.fields[i]!;
      if (theirs.name !== mine.name || theirs.kind !== mine.kind) {
        throw new Error(
          `sketch field ${i} is '${theirs.name}' (${theirs.kind}), expected '${mine.name}' (${mine.kind})`,
        );
      }
      if (mine.kind === 'categorical' && theirs.kind === 'categorical') {
        for (const [value, count] of theirs.counts)
          mine.counts.set(value, (mine.counts.get(value) ?? 0) + count);
      } else if (mine.kind === 'numeric' && theirs.kind === 'numeric') {
        mine.histogram.merge(theirs.histogram);
      }
    });
    this.rows += other.rows;
  }
}
