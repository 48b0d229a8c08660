// Original file: fedflow/v1/federation.proto


/**
 * Asks for one signed model release.
 */
export interface FetchModelRequest {
  /**
   * Session from EnrolResponse.
   */
  'sessionToken'?: (string);
  /**
   * Model version to fetch.
   */
  'modelVersion'?: (number);
}

/**
 * Asks for one signed model release.
 */
export interface FetchModelRequest__Output {
  /**
   * Session from EnrolResponse.
   */
  'sessionToken': (string);
  /**
   * Model version to fetch.
   */
  'modelVersion': (number);
}
