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
 * What a ClientPayload carries. Envelopes name it (not the task kind) because it is what
 * the client signs; PAYLOAD_FOR_TASK in shared/federation/messages.ts pairs the two.
 */
export type PayloadKind__Output = typeof PayloadKind[keyof typeof PayloadKind]
