// Original file: fedflow/v1/federation.proto

import type { SecAggMember as _fedflow_v1_SecAggMember, SecAggMember__Output as _fedflow_v1_SecAggMember__Output } from '../../fedflow/v1/SecAggMember.js';

/**
 * The members of one aggregation with their public keys and neighbours.
 */
export interface SecAggRoster {
  /**
   * Members, sorted by id.
   */
  'members'?: (_fedflow_v1_SecAggMember)[];
  /**
   * Shares of a member's secret that rebuild it (its holders: neighbours and itself).
   */
  'threshold'?: (number);
}

/**
 * The members of one aggregation with their public keys and neighbours.
 */
export interface SecAggRoster__Output {
  /**
   * Members, sorted by id.
   */
  'members': (_fedflow_v1_SecAggMember__Output)[];
  /**
   * Shares of a member's secret that rebuild it (its holders: neighbours and itself).
   */
  'threshold': (number);
}
