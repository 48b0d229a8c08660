/**
 * The one wire encoding of 32-bit vectors: values as little-endian bytes, 4 a value. A site's
 * delta and a release's weights (proto Float32Vector, float32) and a masked delta (uint32
 * ring words) all travel this way: exact, and copied in one piece on little-endian hosts
 * (every platform Node.js supports today) instead of value by value.
 */
import { endianness } from 'node:os';
import { WireError } from './errors.js';

const WORD_BYTES = 4;
const LITTLE_ENDIAN_HOST = endianness() === 'LE';

type Vector32 = Float32Array | Uint32Array;

/** The little-endian bytes of `values` (a view of them on a little-endian host). */
export function littleEndianBytes(values: Vector32): Uint8Array {
  if (LITTLE_ENDIAN_HOST)
    return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const bytes = new Uint8Array(values.length * WORD_BYTES);
  const view = new DataView(bytes.buffer);
  const float = values instanceof Float32Array;
  for (let i = 0; i < values.length; i++)
    if (float) view.setFloat32(i * WORD_BYTES, values[i]!, true);
    else view.setUint32(i * WORD_BYTES, values[i]!, true);
  return bytes;
}

/**
 * The values of little-endian `bytes`; a WireError naming `what` (and the `unit` of its
 * values) unless they are whole 32-bit words.
 */
export function fromLittleEndianBytes<T extends Vector32>(
  bytes: Uint8Array,
  make: (length: number) => T,
  what: string,
  unit: string,
): T {
  if (bytes.length % WORD_BYTES !== 0)
    throw new WireError(
      `expected ${what} of a multiple of 4 bytes (${unit}), got ${bytes.length} bytes`,
    );
  const values = make(bytes.length / WORD_BYTES);
  if (LITTLE_ENDIAN_HOST) {
    // A copy, aligned: the decoded bytes may sit at any offset of a larger buffer.
    new Uint8Array(values.buffer).set(bytes);
    return values;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const float = values instanceof Float32Array;
  for (let i = 0; i < values.length; i++)
    values[i] = float
      ? view.getFloat32(i * WORD_BYTES, true)
      : view.getUint32(i * WORD_BYTES, true);
  return values;
}

/** The Float32Vector message of `values`. */
export function float32VectorToWire(values: Float32Array): { littleEndian: Uint8Array } {
  return { littleEndian: littleEndianBytes(values) };
}

/** The values of a Float32Vector message; a WireError naming `what` if absent or cut short. */
export function float32VectorFromWire(
  message: { littleEndian: Uint8Array } | null | undefined,
  what: string,
): Float32Array {
  if (!message) throw new WireError(`expected ${what} as a Float32Vector, got none`);
  return fromLittleEndianBytes(message.littleEndian, (n) => new Float32Array(n), what, 'float32');
}
