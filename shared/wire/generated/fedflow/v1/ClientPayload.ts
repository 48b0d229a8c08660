// Original file: fedflow/v1/payloads.proto

import type { EncoderSketch as _fedflow_v1_EncoderSketch, EncoderSketch__Output as _fedflow_v1_EncoderSketch__Output } from '../../fedflow/v1/EncoderSketch.js';
import type { ModelDelta as _fedflow_v1_ModelDelta, ModelDelta__Output as _fedflow_v1_ModelDelta__Output } from '../../fedflow/v1/ModelDelta.js';
import type { ScoreHistogram as _fedflow_v1_ScoreHistogram, ScoreHistogram__Output as _fedflow_v1_ScoreHistogram__Output } from '../../fedflow/v1/ScoreHistogram.js';

/**
 * The plaintext inside SealedEnvelope.ciphertext: exactly one typed result.
 */
export interface ClientPayload {
  /**
   * Answer to a TASK_KIND_SKETCH task.
   */
  'sketch'?: (_fedflow_v1_EncoderSketch | null);
  /**
   * Answer to a TASK_KIND_TRAIN task.
   */
  'delta'?: (_fedflow_v1_ModelDelta | null);
  /**
   * Answer to a TASK_KIND_CALIBRATE task.
   */
  'histogram'?: (_fedflow_v1_ScoreHistogram | null);
  /**
   * Which result this is; a payload without a body is rejected.
   */
  'body'?: "sketch"|"delta"|"histogram";
}

/**
 * The plaintext inside SealedEnvelope.ciphertext: exactly one typed result.
 */
export interface ClientPayload__Output {
  /**
   * Answer to a TASK_KIND_SKETCH task.
   */
  'sketch'?: (_fedflow_v1_EncoderSketch__Output | null);
  /**
   * Answer to a TASK_KIND_TRAIN task.
   */
  'delta'?: (_fedflow_v1_ModelDelta__Output | null);
  /**
   * Answer to a TASK_KIND_CALIBRATE task.
   */
  'histogram'?: (_fedflow_v1_ScoreHistogram__Output | null);
  /**
   * Which result this is; a payload without a body is rejected.
   */
  'body'?: "sketch"|"delta"|"histogram";
}
