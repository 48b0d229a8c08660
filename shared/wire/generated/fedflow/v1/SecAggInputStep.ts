// Original file: fedflow/v1/federation.proto

import type { SealedShare as _fedflow_v1_SealedShare, SealedShare__Output as _fedflow_v1_SealedShare__Output } from '../../fedflow/v1/SealedShare.js';

/**
 * Step 3's data for one site.
 */
export interface SecAggInputStep {
  /**
   * Members whose shares arrived.
   */
  'sharers'?: (string)[];
  /**
   * The shares sealed to this site.
   */
  'shares'?: (_fedflow_v1_SealedShare)[];
  /**
   * Each delta value is clipped to +-bound before it is weighted by the site's examples.
   */
  'bound'?: (number | string);
  /**
   * The value of one ring unit of a weighted delta value.
   */
  'step'?: (number | string);
  /**
   * The value of one ring unit of examples x validation loss.
   */
  'lossStep'?: (number | string);
}

/**
 * Step 3's data for one site.
 */
export interface SecAggInputStep__Output {
  /**
   * Members whose shares arrived.
   */
  'sharers': (string)[];
  /**
   * The shares sealed to this site.
   */
  'shares': (_fedflow_v1_SealedShare__Output)[];
  /**
   * Each delta value is clipped to +-bound before it is weighted by the site's examples.
   */
  'bound': (number);
  /**
   * The value of one ring unit of a weighted delta value.
   */
  'step': (number);
  /**
   * The value of one ring unit of examples x validation loss.
   */
  'lossStep': (number);
}
