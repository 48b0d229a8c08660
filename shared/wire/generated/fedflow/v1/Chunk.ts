// Original file: fedflow/v1/federation.proto


/**
 * One piece of a byte string too large for one message (a signed model release, or a sealed
 * envelope). Chunks arrive in index order.
 */
export interface Chunk {
  /**
   * Position of this chunk, from 0.
   */
  'index'?: (number);
  /**
   * Number of chunks of the whole byte string; the same on every chunk.
   */
  'total'?: (number);
  /**
   * This chunk's bytes.
   */
  'data'?: (Buffer | Uint8Array | string);
  /**
   * SHA-256 of the whole byte string; set on the last chunk only.
   */
  'sha256'?: (Buffer | Uint8Array | string);
}

/**
 * One piece of a byte string too large for one message (a signed model release, or a sealed
 * envelope). Chunks arrive in index order.
 */
export interface Chunk__Output {
  /**
   * Position of this chunk, from 0.
   */
  'index': (number);
  /**
   * Number of chunks of the whole byte string; the same on every chunk.
   */
  'total': (number);
  /**
   * This chunk's bytes.
   */
  'data': (Buffer);
  /**
   * SHA-256 of the whole byte string; set on the last chunk only.
   */
  'sha256': (Buffer);
}
