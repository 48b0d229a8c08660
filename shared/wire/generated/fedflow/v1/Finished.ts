// Original file: fedflow/v1/federation.proto


/**
 * Ends the task stream for good.
 */
export interface Finished {
  /**
   * Human-readable reason, for the client's log.
   */
  'reason'?: (string);
}

/**
 * Ends the task stream for good.
 */
export interface Finished__Output {
  /**
   * Human-readable reason, for the client's log.
   */
  'reason': (string);
}
