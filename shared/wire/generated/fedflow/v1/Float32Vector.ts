// Original file: fedflow/v1/payloads.proto


/**
 * Float32 values as little-endian bytes, 4 a value: the one encoding of every weight vector
 * on the wire (a site's delta, a release's weights), exact and without per-value framing.
 */
export interface Float32Vector {
  /**
   * The values, little-endian IEEE 754 binary32, in order; a multiple of 4 bytes.
   */
  'littleEndian'?: (Buffer | Uint8Array | string);
}

/**
 * Float32 values as little-endian bytes, 4 a value: the one encoding of every weight vector
 * on the wire (a site's delta, a release's weights), exact and without per-value framing.
 */
export interface Float32Vector__Output {
  /**
   * The values, little-endian IEEE 754 binary32, in order; a multiple of 4 bytes.
   */
  'littleEndian': (Buffer);
}
