// Original file: fedflow/v1/federation.proto


/**
 * Step 4's data.
 */
export interface SecAggUnmaskStep {
  /**
   * Members whose masked delta arrived.
   */
  'survivors'?: (string)[];
  /**
   * Members that shared keys but sent no masked delta.
   */
  'dropped'?: (string)[];
}

/**
 * Step 4's data.
 */
export interface SecAggUnmaskStep__Output {
  /**
   * Members whose masked delta arrived.
   */
  'survivors': (string)[];
  /**
   * Members that shared keys but sent no masked delta.
   */
  'dropped': (string)[];
}
