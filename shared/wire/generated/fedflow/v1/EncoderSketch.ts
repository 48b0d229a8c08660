// Original file: fedflow/v1/payloads.proto

import type { CategoricalCounts as _fedflow_v1_CategoricalCounts, CategoricalCounts__Output as _fedflow_v1_CategoricalCounts__Output } from '../../fedflow/v1/CategoricalCounts.js';
import type { NumericCounts as _fedflow_v1_NumericCounts, NumericCounts__Output as _fedflow_v1_NumericCounts__Output } from '../../fedflow/v1/NumericCounts.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Per-field statistics for the encoder round; values rarer than the client's floor are dropped
 * before sending.
 */
export interface EncoderSketch {
  /**
   * Flow records the sketch was built from.
   */
  'rows'?: (number | string | Long);
  /**
   * One entry per categorical field of the published schema.
   */
  'categorical'?: (_fedflow_v1_CategoricalCounts)[];
  /**
   * One entry per numeric field of the published schema.
   */
  'numeric'?: (_fedflow_v1_NumericCounts)[];
}

/**
 * Per-field statistics for the encoder round; values rarer than the client's floor are dropped
 * before sending.
 */
export interface EncoderSketch__Output {
  /**
   * Flow records the sketch was built from.
   */
  'rows': (number);
  /**
   * One entry per categorical field of the published schema.
   */
  'categorical': (_fedflow_v1_CategoricalCounts__Output)[];
  /**
   * One entry per numeric field of the published schema.
   */
  'numeric': (_fedflow_v1_NumericCounts__Output)[];
}
