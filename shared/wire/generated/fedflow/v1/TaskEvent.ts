// Original file: fedflow/v1/federation.proto

import type { Heartbeat as _fedflow_v1_Heartbeat, Heartbeat__Output as _fedflow_v1_Heartbeat__Output } from '../../fedflow/v1/Heartbeat.js';
import type { TaskAssignment as _fedflow_v1_TaskAssignment, TaskAssignment__Output as _fedflow_v1_TaskAssignment__Output } from '../../fedflow/v1/TaskAssignment.js';
import type { Finished as _fedflow_v1_Finished, Finished__Output as _fedflow_v1_Finished__Output } from '../../fedflow/v1/Finished.js';

/**
 * One event on the WaitForTask stream.
 */
export interface TaskEvent {
  /**
   * Nothing to do yet; the connection is alive.
   */
  'heartbeat'?: (_fedflow_v1_Heartbeat | null);
  /**
   * Work to do now.
   */
  'task'?: (_fedflow_v1_TaskAssignment | null);
  /**
   * The federation is over; the client stops waiting.
   */
  'finished'?: (_fedflow_v1_Finished | null);
  /**
   * What happened; an event without one is malformed.
   */
  'event'?: "heartbeat"|"task"|"finished";
}

/**
 * One event on the WaitForTask stream.
 */
export interface TaskEvent__Output {
  /**
   * Nothing to do yet; the connection is alive.
   */
  'heartbeat'?: (_fedflow_v1_Heartbeat__Output | null);
  /**
   * Work to do now.
   */
  'task'?: (_fedflow_v1_TaskAssignment__Output | null);
  /**
   * The federation is over; the client stops waiting.
   */
  'finished'?: (_fedflow_v1_Finished__Output | null);
  /**
   * What happened; an event without one is malformed.
   */
  'event'?: "heartbeat"|"task"|"finished";
}
