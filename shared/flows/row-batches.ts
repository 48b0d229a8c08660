/**
 * Rows in the batches a reader produces them (the rows of one read chunk), for a consumer that
 * loops over arrays: a `for await` step per row through an async generator cost the encode
 * worker ~0.45 us a row (0.1 s of 225,440 NSL-KDD rows), an eighth of reading them. A row
 * stream that can give its batches says so with ROW_BATCHES; every `for await` over it still
 * gets its rows one by one, as before. Counted by batch, a reader's stats run up to a read
 * chunk ahead of the rows handed on (final once the pass ends, which is when they are read).
 */
import type { FlowRow } from './schema.js';

/** The key of a row stream's batches: a fresh pass over the same rows, a batch at a time. */
export const ROW_BATCHES = Symbol('row batches');

export interface BatchedRows extends AsyncIterable<FlowRow> {
  [ROW_BATCHES](): AsyncIterable<readonly FlowRow[]>;
}

function hasBatches(rows: AsyncIterable<FlowRow>): rows is BatchedRows {
  return typeof (rows as Partial<BatchedRows>)[ROW_BATCHES] === 'function';
}

/**
 * A row stream that gives its rows one by one as `rows` does, and to a batch consumer as
 * `batches` makes them: two ways through the same pass, so a `for await` over the rows sees
 * exactly what it saw before batches existed (stats counted row by row, an early stop).
 */
export function withBatches(
  rows: AsyncIterable<FlowRow>,
  batches: () => AsyncIterable<readonly FlowRow[]>,
): BatchedRows {
  return {
    [ROW_BATCHES]: batches,
    [Symbol.asyncIterator]: () => rows[Symbol.asyncIterator](),
  };
}

/** The rows of `rows` in batches: its own when it has them, else one row per batch. */
export function rowBatches(rows: AsyncIterable<FlowRow>): AsyncIterable<readonly FlowRow[]> {
  if (hasBatches(rows)) return rows[ROW_BATCHES]();
  return {
    async *[Symbol.asyncIterator]() {
      for await (const row of rows) yield [row];
    },
  };
}

/**
 * `rows` with each row passed through `map` (null drops it), keeping its batches when it has
 * them.
 */
export function mapRows(
  rows: AsyncIterable<FlowRow>,
  map: () => (row: FlowRow) => FlowRow | null,
): AsyncIterable<FlowRow> {
  const oneByOne: AsyncIterable<FlowRow> = {
    async *[Symbol.asyncIterator]() {
      const each = map();
      for await (const row of rows) {
        const out = each(row);
        if (out !== null) yield out;
      }
    },
  };
  if (!hasBatches(rows)) return oneByOne;
  return withBatches(oneByOne, async function* () {
    const each = map();
    for await (const batch of rows[ROW_BATCHES]()) {
      const mapped: FlowRow[] = [];
      for (const row of batch) {
        const out = each(row);
        if (out !== null) mapped.push(out);
      }
      if (mapped.length > 0) yield mapped;
    }
  });
}

/** Each item of `items` as a batch of its own (for a source that does not read in batches). */
export async function* oneByOne<T>(items: AsyncIterable<T>): AsyncGenerator<T[]> {
  for await (const item of items) yield [item];
}
