// Original file: fedflow/v1/payloads.proto

import type { Float32Vector as _fedflow_v1_Float32Vector, Float32Vector__Output as _fedflow_v1_Float32Vector__Output } from '../../fedflow/v1/Float32Vector.js';

/**
 * A vector in blocks of block_size values, each block's values stored as signed integer codes
 * of `bits` bits times the block's scale (value = code * scales[block]). Codes use the
 * symmetric range (-127..127, or -7..7), so the most negative code never occurs.
 */
export interface QuantizedVector {
  /**
   * 8 or 4.
   */
  'bits'?: (number);
  /**
   * How many values it encodes.
   */
  'length'?: (number);
  /**
   * Values per block (the last block may be shorter).
   */
  'blockSize'?: (number);
  /**
   * One scale per block, >= 0 and finite: the value of code 1.
   */
  'scales'?: (_fedflow_v1_Float32Vector | null);
  /**
   * 8 bits: one two's-complement byte per value. 4 bits: two values per byte, low nibble first,
   * each stored as code + 8.
   */
  'codes'?: (Buffer | Uint8Array | string);
}

/**
 * A vector in blocks of block_size values, each block's values stored as signed integer codes
 * of `bits` bits times the block's scale (value = code * scales[block]). Codes use the
 * symmetric range (-127..127, or -7..7), so the most negative code never occurs.
 */
export interface QuantizedVector__Output {
  /**
   * 8 or 4.
   */
  'bits': (number);
  /**
   * How many values it encodes.
   */
  'length': (number);
  /**
   * Values per block (the last block may be shorter).
   */
  'blockSize': (number);
  /**
   * One scale per block, >= 0 and finite: the value of code 1.
   */
  'scales': (_fedflow_v1_Float32Vector__Output | null);
  /**
   * 8 bits: one two's-complement byte per value. 4 bits: two values per byte, low nibble first,
   * each stored as code + 8.
   */
  'codes': (Buffer);
}
