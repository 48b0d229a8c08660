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
  /**
   * The version the client already holds (0 = none): the coordinator may then answer with a
   * delta from it (ModelRelease.base_version) instead of the whole weights.
   */
  'heldVersion'?: (number);
  /**
   * SHA-256 of the held version's float32 little-endian weights; a delta is sent only when it
   * is the coordinator's own release of that version.
   */
  'heldWeightsSha256'?: (Buffer | Uint8Array | string);
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
  /**
   * The version the client already holds (0 = none): the coordinator may then answer with a
   * delta from it (ModelRelease.base_version) instead of the whole weights.
   */
  'heldVersion': (number);
  /**
   * SHA-256 of the held version's float32 little-endian weights; a delta is sent only when it
   * is the coordinator's own release of that version.
   */
  'heldWeightsSha256': (Buffer);
}
