/**
 * Encoded flows held compactly: one Uint16 code per field per row, row-major in one growable
 * buffer, with optional labels as small ids. A million NSL-KDD-sized rows take ~80 MB.
 */
export class FlowTable {
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
