/**
 * The cells of one line of an unquoted delimited file, as byte ranges of the read buffer: the
 * readers' fast path decodes numbers from the bytes and looks categorical text up in an
 * interner, so a row costs no line string, no split array and no substring per cell. Only
 * ASCII lines are split here; a line with any other byte is decoded as UTF-8 text and split as
 * a string, so the two paths read every line alike.
 */

/** ASCII whitespace, as String.prototype.trim and /\s/ see it (a tab, LF, VT, FF, CR, space). */
function isSpace(byte: number): boolean {
  return byte === 32 || (byte >= 9 && byte <= 13);
}

export class LineCells {
  bytes: Buffer = Buffer.alloc(0);
  /** Cell i is bytes[starts[i], ends[i]). */
  starts = new Int32Array(64);
  ends = new Int32Array(64);
  count = 0;

  /**
   * Splits `bytes[start, end)` at `delimiter` (an ASCII byte); false, with the cells unset,
   * when the line holds a byte outside ASCII.
   */
  split(bytes: Buffer, start: number, end: number, delimiter: number): boolean {
    this.bytes = bytes;
    let count = 0;
    let cellStart = start;
    for (let index = start; index < end; index++) {
      const byte = bytes[index]!;
      if (byte === delimiter) {
        this.set(count++, cellStart, index);
        cellStart = index + 1;
      } else if (byte >= 0x80) {
        return false;
      }
    }
    this.set(count++, cellStart, end);
    this.count = count;
    return true;
  }

  /** Whether cell `index` holds exactly `text` (ASCII bytes). */
  equals(index: number, text: Uint8Array): boolean {
    const start = this.starts[index]!;
    const length = this.ends[index]! - start;
    if (length !== text.length) return false;
    const { bytes } = this;
    for (let k = 0; k < length; k++) if (bytes[start + k] !== text[k]) return false;
    return true;
  }

  /** Cell `index` as a string of its own (not a slice of a larger one). */
  text(index: number): string {
    return this.bytes.toString('latin1', this.starts[index], this.ends[index]);
  }

  /**
   * Replaces cell `index` by its words: `cell.trim().split(/\s+/)` on the bytes (one empty
   * cell for a blank one), as IoT-23's space-joined last Zeek column is read.
   */
  splitWords(index: number): void {
    const { bytes } = this;
    let start = this.starts[index]!;
    let end = this.ends[index]!;
    while (start < end && isSpace(bytes[start]!)) start++;
    while (end > start && isSpace(bytes[end - 1]!)) end--;
    const words: number[] = [];
    let wordStart = start;
    for (let at = start; at < end; at++) {
      if (!isSpace(bytes[at]!)) continue;
      words.push(wordStart, at);
      while (at + 1 < end && isSpace(bytes[at + 1]!)) at++;
      wordStart = at + 1;
    }
    words.push(wordStart, end);
    const added = words.length / 2 - 1;
    const count = this.count;
    this.reserve(count + added);
    this.starts.copyWithin(index + 1 + added, index + 1, count);
    this.ends.copyWithin(index + 1 + added, index + 1, count);
    for (let w = 0; w <= added; w++) {
      this.starts[index + w] = words[2 * w]!;
      this.ends[index + w] = words[2 * w + 1]!;
    }
    this.count = count + added;
  }

  private set(index: number, start: number, end: number): void {
    if (index >= this.starts.length) this.reserve(index + 1);
    this.starts[index] = start;
    this.ends[index] = end;
  }

  private reserve(count: number): void {
    if (count <= this.starts.length) return;
    const size = Math.max(count, this.starts.length * 2);
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }
}
