/** The contract between openFlows and the per-format readers. */
import type { BadRowCounter } from './bad-rows.js';
import type { FlowRow, FlowSchema } from './schema.js';

/** An opened flow file: its schema (known before any row is read) and passes over its rows. */
export interface FormatReader {
  readonly schema: FlowSchema;
  /** A fresh pass over the rows, counting malformed ones through `counter`. */
  rows(counter: BadRowCounter): AsyncIterable<FlowRow>;
}
