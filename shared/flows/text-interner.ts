/**
 * One string per distinct short ASCII value (a protocol, a service, a label, a host address),
 * looked up by its bytes: a categorical cell costs a hash of its bytes instead of a new string,
 * and a million rows of `tcp` hold one string, not a million.
 */

/** Slots in the table (a power of two); at most half are filled, so a probe always ends. */
const SLOTS = 1 << 13;
const MASK = SLOTS - 1;
/** Longer values are not kept: they are rarely repeated (uids, long histories). */
const MAX_KEPT_BYTES = 48;

export class TextInterner {
  private readonly table: (string | undefined)[] = new Array(SLOTS).fill(undefined);
  private kept = 0;

  /** The text of the ASCII bytes `bytes[start, end)`, the same string each time it repeats. */
  text(bytes: Buffer, start: number, end: number): string {
    const length = end - start;
    if (length > MAX_KEPT_BYTES) return bytes.toString('latin1', start, end);
    let hash = 0x811c9dc5;
    for (let at = start; at < end; at++) hash = Math.imul(hash ^ bytes[at]!, 0x01000193);
    for (let slot = hash & MASK; ; slot = (slot + 1) & MASK) {
      const entry = this.table[slot];
      if (entry === undefined) {
        const text = bytes.toString('latin1', start, end);
        if (this.kept < SLOTS / 2) {
          this.table[slot] = text;
          this.kept++;
        }
        return text;
      }
      if (sameText(entry, bytes, start, length)) return entry;
    }
  }
}

function sameText(text: string, bytes: Buffer, start: number, length: number): boolean {
  if (text.length !== length) return false;
  for (let k = 0; k < length; k++) if (text.charCodeAt(k) !== bytes[start + k]) return false;
  return true;
}
