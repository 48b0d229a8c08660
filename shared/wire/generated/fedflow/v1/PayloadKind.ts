// Original file: fedflow/v1/payloads.proto

/**
 * What a ClientPayload carries. Envelopes name it (not the task kind) because it is what
 * the client signs; PAYLOAD_FOR_TASK in shared/federation/messages.ts pairs the two.
 */
export const PayloadKind = {
  /**
   * Never sent on purpose: a receiver treats it as malformed.
   */
  PAYLOAD_KIND_UNSPECIFIED: 'PAYLOAD_KIND_UNSPECIFIED',
  /**
   * An EncoderSketch.
   */
  PAYLOAD_KIND_SKETCH: 'PAYLOAD_KIND_SKETCH',
  /**
   * A ModelDelta.
   */
  PAYLOAD_KIND_DELTA: 'PAYLOAD_KIND_DELTA',
  /**
   * A ScoreHistogram.
   */
  PAYLOAD_KIND_HISTOGRAM: 'PAYLOAD_KIND_HISTOGRAM',
  /**
   * A SecAggKeys (secure aggregation, step 1).
   */
  PAYLOAD_KIND_SECAGG_KEYS: 'PAYLOAD_KIND_SECAGG_KEYS',
  /**
   * A SecAggShares (secure aggregation, step 2).
   */
  PAYLOAD_KIND_SECAGG_SHARES: 'PAYLOAD_KIND_SECAGG_SHARES',
  /**
   * A MaskedDelta (secure aggregation, step 3).
   */
  PAYLOAD_KIND_MASKED_DELTA: 'PAYLOAD_KIND_MASKED_DELTA',
  /**
   * A SecAggUnmask (secure aggregation, step 4).
   */
  PAYLOAD_KIND_SECAGG_UNMASK: 'PAYLOAD_KIND_SECAGG_UNMASK',
} as const;

/**
 * What a ClientPayload carries. Envelopes name it (not the task kind) because it is what
 * the client signs; PAYLOAD_FOR_TASK in shared/federation/messages.ts pairs the two.
 */
export type PayloadKind =
  /**
   * Never sent on purpose: a receiver treats it as malformed.
   */
  | 'PAYLOAD_KIND_UNSPECIFIED'
  | 0
  /**
   * An EncoderSketch.
   */
  | 'PAYLOAD_KIND_SKETCH'
  | 1
  /**
   * A ModelDelta.
   */
  | 'PAYLOAD_KIND_DELTA'
  | 2
  /**
   * A ScoreHistogram.
   */
  | 'PAYLOAD_KIND_HISTOGRAM'
  | 3
  /**
   * A SecAggKeys (secure aggregation, step 1).
   */
  | 'PAYLOAD_KIND_SECAGG_KEYS'
  | 4
  /**
   * A SecAggShares (secure aggregation, step 2).
   */
  | 'PAYLOAD_KIND_SECAGG_SHARES'
  | 5
  /**
   * A MaskedDelta (secure aggregation, step 3).
   */
  | 'PAYLOAD_KIND_MASKED_DELTA'
  | 6
  /**
   * A SecAggUnmask (secure aggregation, step 4).
   */
  | 'PAYLOAD_KIND_SECAGG_UNMASK'
  | 7

/**
 * What a ClientPayload carries. Envelopes name it (not the task kind) because it is what
 * the client signs; PAYLOAD_FOR_TASK in shared/federation/messages.ts pairs the two.
 */
export type PayloadKind__Output = typeof PayloadKind[keyof typeof PayloadKind]
