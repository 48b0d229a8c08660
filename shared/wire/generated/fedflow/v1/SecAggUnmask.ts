// Original file: fedflow/v1/payloads.proto

import type { RevealedShare as _fedflow_v1_RevealedShare, RevealedShare__Output as _fedflow_v1_RevealedShare__Output } from '../../fedflow/v1/RevealedShare.js';

/**
 * Secure aggregation, step 4: for each neighbour (and itself), a share of its self-mask seed if
 * its input arrived, or of its mask key if it dropped out; never both for one member.
 */
export interface SecAggUnmask {
  /**
   * Shares of self-mask seeds, of members whose masked delta arrived.
   */
  'selfMaskShares'?: (_fedflow_v1_RevealedShare)[];
  /**
   * Shares of mask keys, of members that shared keys but sent no masked delta.
   */
  'maskKeyShares'?: (_fedflow_v1_RevealedShare)[];
}

/**
 * Secure aggregation, step 4: for each neighbour (and itself), a share of its self-mask seed if
 * its input arrived, or of its mask key if it dropped out; never both for one member.
 */
export interface SecAggUnmask__Output {
  /**
   * Shares of self-mask seeds, of members whose masked delta arrived.
   */
  'selfMaskShares': (_fedflow_v1_RevealedShare__Output)[];
  /**
   * Shares of mask keys, of members that shared keys but sent no masked delta.
   */
  'maskKeyShares': (_fedflow_v1_RevealedShare__Output)[];
}
