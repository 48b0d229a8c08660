// Original file: fedflow/v1/federation.proto


/**
 * Opens the task stream of a session.
 */
export interface WaitRequest {
  /**
   * Session from EnrolResponse.
   */
  'sessionToken'?: (string);
}

/**
 * Opens the task stream of a session.
 */
export interface WaitRequest__Output {
  /**
   * Session from EnrolResponse.
   */
  'sessionToken': (string);
}
