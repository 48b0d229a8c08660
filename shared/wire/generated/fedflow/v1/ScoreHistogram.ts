// Original file: fedflow/v1/payloads.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Calibration: held-out normal flows' scores counted on the published score grid.
 */
export interface ScoreHistogram {
  /**
   * Global model version that produced the scores.
   */
  'modelVersion'?: (number);
  /**
   * Counts per score-grid bin, in grid order.
   */
  'counts'?: (number | string)[];
  /**
   * Flows scored (the sum of counts).
   */
  'flows'?: (number | string | Long);
}

/**
 * Calibration: held-out normal flows' scores counted on the published score grid.
 */
export interface ScoreHistogram__Output {
  /**
   * Global model version that produced the scores.
   */
  'modelVersion': (number);
  /**
   * Counts per score-grid bin, in grid order.
   */
  'counts': (number)[];
  /**
   * Flows scored (the sum of counts).
   */
  'flows': (number);
}
