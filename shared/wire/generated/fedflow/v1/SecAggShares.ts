// Original file: fedflow/v1/payloads.proto

import type { SealedShare as _fedflow_v1_SealedShare, SealedShare__Output as _fedflow_v1_SealedShare__Output } from '../../fedflow/v1/SealedShare.js';

/**
 * Secure aggregation, step 2: shares of the self-mask seed and of the mask key, one per neighbour.
 */
export interface SecAggShares {
  /**
   * One per neighbour in the published roster.
   */
  'shares'?: (_fedflow_v1_SealedShare)[];
  /**
   * SHA-256 of the self-mask seed (32 bytes), so the rebuilt seed can be checked.
   */
  'selfMaskCommitment'?: (Buffer | Uint8Array | string);
}

/**
 * Secure aggregation, step 2: shares of the self-mask seed and of the mask key, one per neighbour.
 */
export interface SecAggShares__Output {
  /**
   * One per neighbour in the published roster.
   */
  'shares': (_fedflow_v1_SealedShare__Output)[];
  /**
   * SHA-256 of the self-mask seed (32 bytes), so the rebuilt seed can be checked.
   */
  'selfMaskCommitment': (Buffer);
}
