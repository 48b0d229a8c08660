// Original file: fedflow/v1/federation.proto


/**
 * A session for an enrolled client.
 */
export interface EnrolResponse {
  /**
   * Opaque token naming the session in later calls.
   */
  'sessionToken'?: (string);
  /**
   * Interval between heartbeats on WaitForTask; silence for several intervals means reconnect.
   */
  'heartbeatMs'?: (number);
  /**
   * Fingerprint of the coordinator's signing key, for the operator to compare out of band.
   */
  'coordinatorFingerprint'?: (string);
}

/**
 * A session for an enrolled client.
 */
export interface EnrolResponse__Output {
  /**
   * Opaque token naming the session in later calls.
   */
  'sessionToken': (string);
  /**
   * Interval between heartbeats on WaitForTask; silence for several intervals means reconnect.
   */
  'heartbeatMs': (number);
  /**
   * Fingerprint of the coordinator's signing key, for the operator to compare out of band.
   */
  'coordinatorFingerprint': (string);
}
