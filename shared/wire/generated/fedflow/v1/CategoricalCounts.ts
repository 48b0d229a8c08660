// Original file: fedflow/v1/payloads.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Value counts of one categorical field.
 */
export interface CategoricalCounts {
  /**
   * Field name from the published flow schema.
   */
  'field'?: (string);
  /**
   * Distinct values seen; parallel to counts.
   */
  'values'?: (string)[];
  /**
   * Records having values[i]; same length as values.
   */
  'counts'?: (number | string | Long)[];
}

/**
 * Value counts of one categorical field.
 */
export interface CategoricalCounts__Output {
  /**
   * Field name from the published flow schema.
   */
  'field': (string);
  /**
   * Distinct values seen; parallel to counts.
   */
  'values': (string)[];
  /**
   * Records having values[i]; same length as values.
   */
  'counts': (number)[];
}
