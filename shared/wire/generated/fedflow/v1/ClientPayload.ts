// Original file: fedflow/v1/payloads.proto

import type { EncoderSketch as _fedflow_v1_EncoderSketch, EncoderSketch__Output as _fedflow_v1_EncoderSketch__Output } from '../../fedflow/v1/EncoderSketch.js';
import type { ModelDelta as _fedflow_v1_ModelDelta, ModelDelta__Output as _fedflow_v1_ModelDelta__Output } from '../../fedflow/v1/ModelDelta.js';
import type { ScoreHistogram as _fedflow_v1_ScoreHistogram, ScoreHistogram__Output as _fedflow_v1_ScoreHistogram__Output } from '../../fedflow/v1/ScoreHistogram.js';
import type { SecAggKeys as _fedflow_v1_SecAggKeys, SecAggKeys__Output as _fedflow_v1_SecAggKeys__Output } from '../../fedflow/v1/SecAggKeys.js';
import type { SecAggShares as _fedflow_v1_SecAggShares, SecAggShares__Output as _fedflow_v1_SecAggShares__Output } from '../../fedflow/v1/SecAggShares.js';
import type { MaskedDelta as _fedflow_v1_MaskedDelta, MaskedDelta__Output as _fedflow_v1_MaskedDelta__Output } from '../../fedflow/v1/MaskedDelta.js';
import type { SecAggUnmask as _fedflow_v1_SecAggUnmask, SecAggUnmask__Output as _fedflow_v1_SecAggUnmask__Output } from '../../fedflow/v1/SecAggUnmask.js';

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
   * Answer to a TASK_KIND_SECAGG_KEYS task.
   */
  'secaggKeys'?: (_fedflow_v1_SecAggKeys | null);
  /**
   * Answer to a TASK_KIND_SECAGG_SHARES task.
   */
  'secaggShares'?: (_fedflow_v1_SecAggShares | null);
  /**
   * Answer to a TASK_KIND_SECAGG_TRAIN task.
   */
  'maskedDelta'?: (_fedflow_v1_MaskedDelta | null);
  /**
   * Answer to a TASK_KIND_SECAGG_UNMASK task.
   */
  'secaggUnmask'?: (_fedflow_v1_SecAggUnmask | null);
  /**
   * Which result this is; a payload without a body is rejected.
   */
  'body'?: "sketch"|"delta"|"histogram"|"secaggKeys"|"secaggShares"|"maskedDelta"|"secaggUnmask";
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
   * Answer to a TASK_KIND_SECAGG_KEYS task.
   */
  'secaggKeys'?: (_fedflow_v1_SecAggKeys__Output | null);
  /**
   * Answer to a TASK_KIND_SECAGG_SHARES task.
   */
  'secaggShares'?: (_fedflow_v1_SecAggShares__Output | null);
  /**
   * Answer to a TASK_KIND_SECAGG_TRAIN task.
   */
  'maskedDelta'?: (_fedflow_v1_MaskedDelta__Output | null);
  /**
   * Answer to a TASK_KIND_SECAGG_UNMASK task.
   */
  'secaggUnmask'?: (_fedflow_v1_SecAggUnmask__Output | null);
  /**
   * Which result this is; a payload without a body is rejected.
   */
  'body'?: "sketch"|"delta"|"histogram"|"secaggKeys"|"secaggShares"|"maskedDelta"|"secaggUnmask";
}
