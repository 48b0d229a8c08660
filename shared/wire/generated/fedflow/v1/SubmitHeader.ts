// Original file: fedflow/v1/federation.proto

import type { TaskKind as _fedflow_v1_TaskKind, TaskKind__Output as _fedflow_v1_TaskKind__Output } from '../../fedflow/v1/TaskKind.js';
import type { Long } from '@grpc/proto-loader';

/**
 * What the client announces before the chunks of a result.
 */
export interface SubmitHeader {
  /**
   * Session from EnrolResponse.
   */
  'sessionToken'?: (string);
  /**
   * Round the result belongs to.
   */
  'round'?: (number);
  /**
   * Task the result answers.
   */
  'taskId'?: (string);
  /**
   * Kind of the task answered; the envelope's PayloadKind must be the one this kind expects.
   */
  'kind'?: (_fedflow_v1_TaskKind);
  /**
   * Length of the serialised SealedEnvelope; lets the coordinator refuse oversized results early.
   */
  'totalBytes'?: (number | string | Long);
  /**
   * SHA-256 of the serialised SealedEnvelope.
   */
  'sha256'?: (Buffer | Uint8Array | string);
}

/**
 * What the client announces before the chunks of a result.
 */
export interface SubmitHeader__Output {
  /**
   * Session from EnrolResponse.
   */
  'sessionToken': (string);
  /**
   * Round the result belongs to.
   */
  'round': (number);
  /**
   * Task the result answers.
   */
  'taskId': (string);
  /**
   * Kind of the task answered; the envelope's PayloadKind must be the one this kind expects.
   */
  'kind': (_fedflow_v1_TaskKind__Output);
  /**
   * Length of the serialised SealedEnvelope; lets the coordinator refuse oversized results early.
   */
  'totalBytes': (number);
  /**
   * SHA-256 of the serialised SealedEnvelope.
   */
  'sha256': (Buffer);
}
