// Original file: fedflow/v1/payloads.proto


/**
 * Histogram of one numeric field on the published log-spaced grid.
 */
export interface NumericCounts {
  /**
   * Field name from the published flow schema.
   */
  'field'?: (string);
  /**
   * Counts per grid bin, in grid order.
   */
  'counts'?: (number | string)[];
}

/**
 * Histogram of one numeric field on the published log-spaced grid.
 */
export interface NumericCounts__Output {
  /**
   * Field name from the published flow schema.
   */
  'field': (string);
  /**
   * Counts per grid bin, in grid order.
   */
  'counts': (number)[];
}
