/**
 * Encoded flows held compactly: one Uint16 code per field per row, row-major in one growable
 * buffer, with optional labels as small ids. A million NSL-KDD-sized rows take ~80 MB.
 */
/**
 * Each row's earlier flows of the same source host (host-history.ts), as row numbers into the
 * codes of the table the rows were read into (`source`): splits and selections share that
 * table's codes, so a calibration row's history may be a training row. 4 bytes a slot instead
 * of a copy of the flows' codes.
 */
export interface RowHistory {
  readonly steps: number;
  /** Row-major codes the row numbers point into (fieldCount per row). */
  readonly source: Uint16Array;
  /** [rows x steps], oldest first, -1 for an empty slot. */
  readonly rows: Int32Array;
}

export class FlowTable {
  /** Each row's history, for the sequence model; null when the table was read without one. */
  history: RowHistory | null = null;
  private buffer: Uint16Array;
  private labelIds: Uint16Array;
  private readonly labelIndex = new Map<string, number>();
  readonly labelNames: string[] = [];
  length = 0;

  constructor(
    readonly fieldCount: number,
    initialRows = 1024,
  ) {
    this.buffer = new Uint16Array(initialRows * fieldCount);
    this.labelIds = new Uint16Array(initialRows);
  }

  /** Reserves the next row and returns its offset into `codes` for the caller to fill. */
  appendRow(label: string | null): number {
    if (this.length === this.labelIds.length) this.grow();
    this.labelIds[this.length] = label === null ? 0 : this.labelId(label);
    return this.length++ * this.fieldCount;
  }

  /** All codes, row-major; only the first `length * fieldCount` entries are rows. */
  get codes(): Uint16Array {
    return this.buffer;
  }

  /** Label of a row, or null when it had none. */
  label(row: number): string | null {
    const id = this.labelIds[row]!;
    return id === 0 ? null : this.labelNames[id - 1]!;
  }

  /** A new table holding the given rows, in that order. */
  select(rows: ArrayLike<number>): FlowTable {
    const out = new FlowTable(this.fieldCount, Math.max(1, rows.length));
    const f = this.fieldCount;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const at = out.appendRow(this.label(r));
      out.buffer.set(this.buffer.subarray(r * f, r * f + f), at);
    }
    const h = this.history;
    if (h) {
      const steps = new Int32Array(rows.length * h.steps);
      for (let i = 0; i < rows.length; i++)
        steps.set(h.rows.subarray(rows[i]! * h.steps, (rows[i]! + 1) * h.steps), i * h.steps);
      out.history = { steps: h.steps, source: h.source, rows: steps };
    }
    return out;
  }

  /** A new table holding this table's rows, then `other`'s (same fields). */
  concat(other: FlowTable): FlowTable {
    if (other.fieldCount !== this.fieldCount)
      throw new Error(
        `cannot join a table of ${other.fieldCount} fields to one of ${this.fieldCount}`,
      );
    const out = new FlowTable(this.fieldCount, Math.max(1, this.length + other.length));
    for (const table of [this, other]) {
      for (let r = 0; r < table.length; r++) {
        const at = out.appendRow(table.label(r));
        out.buffer.set(table.buffer.subarray(r * this.fieldCount, (r + 1) * this.fieldCount), at);
      }
    }
    out.history = joinedHistory(this, other);
    return out;
  }

  private labelId(label: string): number {
    let id = this.labelIndex.get(label);
    if (id === undefined) {
      if (this.labelNames.length >= 0xfffe) throw new Error('more than 65,534 distinct labels');
      this.labelNames.push(label);
      id = this.labelNames.length;
      this.labelIndex.set(label, id);
    }
    return id;
  }

  private grow(): void {
    const rows = Math.max(1024, this.labelIds.length * 2);
    const buffer = new Uint16Array(rows * this.fieldCount);
    buffer.set(this.buffer);
    this.buffer = buffer;
    const labels = new Uint16Array(rows);
    labels.set(this.labelIds);
    this.labelIds = labels;
  }
}

/**
 * The history of `a`'s rows then `b`'s: a table without one (flows sampled from a model for
 * replay) gives its rows empty histories; two with histories into different tables cannot join.
 */
function joinedHistory(a: FlowTable, b: FlowTable): RowHistory | null {
  const first = a.history ?? b.history;
  if (!first) return null;
  for (const h of [a.history, b.history])
    if (h && (h.source !== first.source || h.steps !== first.steps))
      throw new Error('cannot join tables whose histories point into different tables');
  const rows = new Int32Array((a.length + b.length) * first.steps).fill(-1);
  if (a.history) rows.set(a.history.rows.subarray(0, a.length * first.steps));
  if (b.history)
    rows.set(b.history.rows.subarray(0, b.length * first.steps), a.length * first.steps);
  return { steps: first.steps, source: first.source, rows };
}
