// Original file: fedflow/v1/federation.proto

import type { SecAggKeysStep as _fedflow_v1_SecAggKeysStep, SecAggKeysStep__Output as _fedflow_v1_SecAggKeysStep__Output } from '../../fedflow/v1/SecAggKeysStep.js';
import type { SecAggRoster as _fedflow_v1_SecAggRoster, SecAggRoster__Output as _fedflow_v1_SecAggRoster__Output } from '../../fedflow/v1/SecAggRoster.js';
import type { SecAggInputStep as _fedflow_v1_SecAggInputStep, SecAggInputStep__Output as _fedflow_v1_SecAggInputStep__Output } from '../../fedflow/v1/SecAggInputStep.js';
import type { SecAggUnmaskStep as _fedflow_v1_SecAggUnmaskStep, SecAggUnmaskStep__Output as _fedflow_v1_SecAggUnmaskStep__Output } from '../../fedflow/v1/SecAggUnmaskStep.js';

/**
 * What a secure aggregation task carries: the aggregation it belongs to and its step's data.
 */
export interface SecAggTask {
  /**
   * The aggregation (the keys task's id); binds shares and masks to it.
   */
  'session'?: (string);
  /**
   * Step 1: nothing but the session.
   */
  'keys'?: (_fedflow_v1_SecAggKeysStep | null);
  /**
   * Step 2: the roster.
   */
  'roster'?: (_fedflow_v1_SecAggRoster | null);
  /**
   * Step 3: who shared keys, the shares sealed to this site, the fixed point.
   */
  'input'?: (_fedflow_v1_SecAggInputStep | null);
  /**
   * Step 4: who survived and who dropped.
   */
  'unmask'?: (_fedflow_v1_SecAggUnmaskStep | null);
  'step'?: "keys"|"roster"|"input"|"unmask";
}

/**
 * What a secure aggregation task carries: the aggregation it belongs to and its step's data.
 */
export interface SecAggTask__Output {
  /**
   * The aggregation (the keys task's id); binds shares and masks to it.
   */
  'session': (string);
  /**
   * Step 1: nothing but the session.
   */
  'keys'?: (_fedflow_v1_SecAggKeysStep__Output | null);
  /**
   * Step 2: the roster.
   */
  'roster'?: (_fedflow_v1_SecAggRoster__Output | null);
  /**
   * Step 3: who shared keys, the shares sealed to this site, the fixed point.
   */
  'input'?: (_fedflow_v1_SecAggInputStep__Output | null);
  /**
   * Step 4: who survived and who dropped.
   */
  'unmask'?: (_fedflow_v1_SecAggUnmaskStep__Output | null);
  'step'?: "keys"|"roster"|"input"|"unmask";
}
