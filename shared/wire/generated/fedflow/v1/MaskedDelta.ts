// Original file: fedflow/v1/payloads.proto


/**
 * Secure aggregation, step 3: the site's weighted delta, its examples and its examples x
 * validation loss in fixed point (Z_2^32), plus its self mask and pairwise masks. Uniformly
 * random on its own; only the sum over sites means anything.
 */
export interface MaskedDelta {
  /**
   * Global model version the client trained from.
   */
  'modelVersion'?: (number);
  /**
   * 32-bit words, little-endian: the model's parameters, then 2 (examples, loss).
   */
  'maskedLittleEndian'?: (Buffer | Uint8Array | string);
}

/**
 * Secure aggregation, step 3: the site's weighted delta, its examples and its examples x
 * validation loss in fixed point (Z_2^32), plus its self mask and pairwise masks. Uniformly
 * random on its own; only the sum over sites means anything.
 */
export interface MaskedDelta__Output {
  /**
   * Global model version the client trained from.
   */
  'modelVersion': (number);
  /**
   * 32-bit words, little-endian: the model's parameters, then 2 (examples, loss).
   */
  'maskedLittleEndian': (Buffer);
}
