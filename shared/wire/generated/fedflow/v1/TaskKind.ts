// Original file: fedflow/v1/federation.proto

/**
 * The kind of work a task asks for; each kind is answered by one PayloadKind.
 */
export const TaskKind = {
  /**
   * Never sent on purpose: a receiver treats it as malformed.
   */
  TASK_KIND_UNSPECIFIED: 'TASK_KIND_UNSPECIFIED',
  /**
   * Encoder round: answer with an EncoderSketch.
   */
  TASK_KIND_SKETCH: 'TASK_KIND_SKETCH',
  /**
   * Training round: answer with a ModelDelta.
   */
  TASK_KIND_TRAIN: 'TASK_KIND_TRAIN',
  /**
   * Calibration round: answer with a ScoreHistogram.
   */
  TASK_KIND_CALIBRATE: 'TASK_KIND_CALIBRATE',
  /**
   * Secure aggregation step 1: answer with a SecAggKeys.
   */
  TASK_KIND_SECAGG_KEYS: 'TASK_KIND_SECAGG_KEYS',
  /**
   * Secure aggregation step 2 (TaskAssignment.secagg.roster): answer with a SecAggShares.
   */
  TASK_KIND_SECAGG_SHARES: 'TASK_KIND_SECAGG_SHARES',
  /**
   * Secure aggregation step 3 (TaskAssignment.secagg.input): train, answer with a MaskedDelta.
   */
  TASK_KIND_SECAGG_TRAIN: 'TASK_KIND_SECAGG_TRAIN',
  /**
   * Secure aggregation step 4 (TaskAssignment.secagg.unmask): answer with a SecAggUnmask.
   */
  TASK_KIND_SECAGG_UNMASK: 'TASK_KIND_SECAGG_UNMASK',
} as const;

/**
 * The kind of work a task asks for; each kind is answered by one PayloadKind.
 */
export type TaskKind =
  /**
   * Never sent on purpose: a receiver treats it as malformed.
   */
  | 'TASK_KIND_UNSPECIFIED'
  | 0
  /**
   * Encoder round: answer with an EncoderSketch.
   */
  | 'TASK_KIND_SKETCH'
  | 1
  /**
   * Training round: answer with a ModelDelta.
   */
  | 'TASK_KIND_TRAIN'
  | 2
  /**
   * Calibration round: answer with a ScoreHistogram.
   */
  | 'TASK_KIND_CALIBRATE'
  | 3
  /**
   * Secure aggregation step 1: answer with a SecAggKeys.
   */
  | 'TASK_KIND_SECAGG_KEYS'
  | 4
  /**
   * Secure aggregation step 2 (TaskAssignment.secagg.roster): answer with a SecAggShares.
   */
  | 'TASK_KIND_SECAGG_SHARES'
  | 5
  /**
   * Secure aggregation step 3 (TaskAssignment.secagg.input): train, answer with a MaskedDelta.
   */
  | 'TASK_KIND_SECAGG_TRAIN'
  | 6
  /**
   * Secure aggregation step 4 (TaskAssignment.secagg.unmask): answer with a SecAggUnmask.
   */
  | 'TASK_KIND_SECAGG_UNMASK'
  | 7

/**
 * The kind of work a task asks for; each kind is answered by one PayloadKind.
 */
export type TaskKind__Output = typeof TaskKind[keyof typeof TaskKind]
