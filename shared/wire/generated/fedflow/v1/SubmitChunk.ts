// Original file: fedflow/v1/federation.proto

import type { SubmitHeader as _fedflow_v1_SubmitHeader, SubmitHeader__Output as _fedflow_v1_SubmitHeader__Output } from '../../fedflow/v1/SubmitHeader.js';
import type { Chunk as _fedflow_v1_Chunk, Chunk__Output as _fedflow_v1_Chunk__Output } from '../../fedflow/v1/Chunk.js';

/**
 * One message of the SubmitResult stream: the header first, then chunks.
 */
export interface SubmitChunk {
  /**
   * First message only.
   */
  'header'?: (_fedflow_v1_SubmitHeader | null);
  /**
   * Every later message: a chunk of the serialised SealedEnvelope.
   */
  'chunk'?: (_fedflow_v1_Chunk | null);
  /**
   * Header or data; a message without one is malformed.
   */
  'part'?: "header"|"chunk";
}

/**
 * One message of the SubmitResult stream: the header first, then chunks.
 */
export interface SubmitChunk__Output {
  /**
   * First message only.
   */
  'header'?: (_fedflow_v1_SubmitHeader__Output | null);
  /**
   * Every later message: a chunk of the serialised SealedEnvelope.
   */
  'chunk'?: (_fedflow_v1_Chunk__Output | null);
  /**
   * Header or data; a message without one is malformed.
   */
  'part'?: "header"|"chunk";
}
