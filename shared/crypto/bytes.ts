/**
 * Deterministic binary layouts for signed statements and encoded blobs: big-endian integers,
 * length-prefixed strings and fixed-length fields, with a reader that names the field it
 * could not read. Every byte format in shared/crypto is written with these.
 */
import { createHash } from 'node:crypto';

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** SHA-256 of `data` (32 bytes). */
export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

/** Byte-wise equality (for public values; secrets are never compared here). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/**
 * UTF-8 bytes of `text`, refusing strings with lone surrogates: those would all encode to
 * U+FFFD, so two different strings would sign as the same bytes.
 */
export function utf8Bytes(text: string, field: string): Uint8Array {
  const bytes = utf8.encode(text);
  if (strictUtf8.decode(bytes) !== text)
    throw new RangeError(`${field}: expected well-formed Unicode text, got a lone surrogate`);
  return bytes;
}

/** Appends fields in order; `finish()` returns one contiguous array. */
export class ByteWriter {
  private readonly parts: Uint8Array[] = [];
  private length = 0;

  bytes(data: Uint8Array): this {
    this.parts.push(data);
    this.length += data.length;
    return this;
  }

  u8(value: number, field: string): this {
    return this.bytes(Uint8Array.of(checkUint(value, 0xff, field)));
  }

  u32(value: number, field: string): this {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, checkUint(value, 0xffffffff, field));
    return this.bytes(out);
  }

  /** A string as u8 length + UTF-8 bytes (at most 255 bytes). */
  shortString(text: string, field: string): this {
    const encoded = utf8Bytes(text, field);
    return this.u8(encoded.length, `${field} length`).bytes(encoded);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
}

/** Reads fields in order; every shortfall names the field and the offset. */
export class ByteReader {
  private offset = 0;

  constructor(private readonly data: Uint8Array) {}

  /** `length` bytes as a view into the input (no copy). */
  bytes(length: number, field: string): Uint8Array {
    if (this.offset + length > this.data.length)
      throw new RangeError(
        `${field}: expected ${length} bytes at offset ${this.offset}, got ${this.data.length - this.offset}`,
      );
    const out = this.data.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  u8(field: string): number {
    return this.bytes(1, field)[0]!;
  }

  u32(field: string): number {
    const b = this.bytes(4, field);
    return new DataView(b.buffer, b.byteOffset, 4).getUint32(0);
  }

  shortString(field: string): string {
    const length = this.u8(`${field} length`);
    const bytes = this.bytes(length, field);
    try {
      return strictUtf8.decode(bytes);
    } catch {
      throw new RangeError(`${field}: expected UTF-8 text, got invalid bytes`);
    }
  }

  /** Throws unless every byte was read: trailing bytes would go unsigned or unnoticed. */
  end(): void {
    if (this.offset !== this.data.length)
      throw new RangeError(
        `expected the data to end at byte ${this.offset}, got ${this.data.length - this.offset} more bytes`,
      );
  }
}

function checkUint(value: number, max: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new RangeError(`${field}: expected an integer in [0, ${max}], got ${value}`);
  return value;
}
