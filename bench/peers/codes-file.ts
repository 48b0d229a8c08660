/**
 * The files fedflow and the PyTorch peer exchange: encoded codes (the FlowEncoder's integer
 * code per field per row) as raw little-endian uint16, row-major, and float32 results back.
 * Both sides then work on identical inputs and Python never re-implements the encoder.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { FlowTable } from '../../shared/encoding/flow-table.js';

/** Writes a table's codes (its rows only) to `path`. */
export function writeCodes(path: string, table: FlowTable): void {
  const codes = table.codes.subarray(0, table.length * table.fieldCount);
  // Uint16Array holds the platform's byte order; the file promises little-endian.
  const bytes = new Uint8Array(codes.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < codes.length; i++) view.setUint16(2 * i, codes[i]!, true);
  writeFileSync(path, bytes);
}

/** A little-endian float32 file as numbers. */
export function readFloats(path: string): Float32Array {
  const bytes = readFileSync(path);
  if (bytes.byteLength % 4 !== 0)
    throw new Error(`${path}: ${bytes.byteLength} bytes is not a whole number of float32 values`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: bytes.byteLength / 4 }, (_, i) =>
    view.getFloat32(4 * i, true),
  );
}
