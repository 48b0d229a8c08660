// Original file: fedflow/v1/federation.proto

import type { TaskKind as _fedflow_v1_TaskKind, TaskKind__Output as _fedflow_v1_TaskKind__Output } from '../../fedflow/v1/TaskKind.js';
import type { LocalTraining as _fedflow_v1_LocalTraining, LocalTraining__Output as _fedflow_v1_LocalTraining__Output } from '../../fedflow/v1/LocalTraining.js';
import type { SecAggTask as _fedflow_v1_SecAggTask, SecAggTask__Output as _fedflow_v1_SecAggTask__Output } from '../../fedflow/v1/SecAggTask.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Work the coordinator hands out to a client.
 */
export interface TaskAssignment {
  /**
   * What to do; never TASK_KIND_UNSPECIFIED.
   */
  'kind'?: (_fedflow_v1_TaskKind);
  /**
   * Round number, from 1; the encoder round is round 0.
   */
  'round'?: (number);
  /**
   * Unique id of this task (a round may be reopened under a new id).
   */
  'taskId'?: (string);
  /**
   * Global model version to start from (0 before the first model exists).
   */
  'modelVersion'?: (number);
  /**
   * When the coordinator stops waiting for results, epoch milliseconds.
   */
  'deadlineUnixMs'?: (number | string | Long);
  /**
   * How to train, for a training task: every site trains alike, whatever its own config says.
   */
  'training'?: (_fedflow_v1_LocalTraining | null);
  /**
   * For a sketch task: categorical values seen fewer times stay out of the sketch (>= 1).
   */
  'minCategoryCount'?: (number);
  /**
   * For a sketch task: at most this many values of each categorical field, the most frequent
   * (the encoder's vocabulary size; at most 1024); 0 = 1024.
   */
  'maxCategoryValues'?: (number);
  /**
   * For a secure aggregation task: the step's data (absent on the keys step's older peers).
   */
  'secagg'?: (_fedflow_v1_SecAggTask | null);
}

/**
 * Work the coordinator hands out to a client.
 */
export interface TaskAssignment__Output {
  /**
   * What to do; never TASK_KIND_UNSPECIFIED.
   */
  'kind': (_fedflow_v1_TaskKind__Output);
  /**
   * Round number, from 1; the encoder round is round 0.
   */
  'round': (number);
  /**
   * Unique id of this task (a round may be reopened under a new id).
   */
  'taskId': (string);
  /**
   * Global model version to start from (0 before the first model exists).
   */
  'modelVersion': (number);
  /**
   * When the coordinator stops waiting for results, epoch milliseconds.
   */
  'deadlineUnixMs': (number);
  /**
   * How to train, for a training task: every site trains alike, whatever its own config says.
   */
  'training': (_fedflow_v1_LocalTraining__Output | null);
  /**
   * For a sketch task: categorical values seen fewer times stay out of the sketch (>= 1).
   */
  'minCategoryCount': (number);
  /**
   * For a sketch task: at most this many values of each categorical field, the most frequent
   * (the encoder's vocabulary size; at most 1024); 0 = 1024.
   */
  'maxCategoryValues': (number);
  /**
   * For a secure aggregation task: the step's data (absent on the keys step's older peers).
   */
  'secagg': (_fedflow_v1_SecAggTask__Output | null);
}
