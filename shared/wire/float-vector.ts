/**
 * The one wire encoding of weight vectors (proto Float32Vector): float32 values as
 * little-endian bytes. A site's delta and a release's weights both travel this way: exact,
 * 4 bytes a value, and copied in one piece on little-endian hosts (every platform Node.js
 * supports today) instead of value by value.
 */
import { endianness } from 'node:os';
import { WireError } from './errors.js';

const FLOAT32_BYTES = 4;
const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/** The Float32Vector message of `values`. */
export function float32VectorToWire(values: Float32Array): { littleEndian: Uint8Array } {
  if (LITTLE_ENDIAN_HOST)
    return { littleEndian: new Uint8Array(values.buffer, values.byteOffset, values.byteLength) };
  const bytes = new Uint8Array(values.length * FLOAT32_BYTES);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * FLOAT32_BYTES, values[i]!, true);
  return { littleEndian: bytes };
}

/** The values of a Float32Vector message; a WireError naming `what` if absent or cut short. */
export function float32VectorFromWire(
  message: { littleEndian: Uint8Array } | null | undefined,
  what: string,
): Float32Array {
  if (!message) throw new WireError(`expected ${what} as a Float32Vector, got none`);
  const bytes = message.littleEndian;
  if (bytes.length % FLOAT32_BYTES !== 0)
    throw new WireError(
      `expected ${what} of a multiple of 4 bytes (float32), got ${bytes.length} bytes`,
    );
  const values = new Float32Array(bytes.length / FLOAT32_BYTES);
  if (LITTLE_ENDIAN_HOST) {
    // A copy, aligned: the decoded bytes may sit at any offset of a larger buffer.
    new Uint8Array(values.buffer).set(bytes);
    return values;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat32(i * FLOAT32_BYTES, true);
  return values;
}
