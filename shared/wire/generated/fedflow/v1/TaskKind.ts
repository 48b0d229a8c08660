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
 * The kind of work a task asks for; each kind is answered by one PayloadKind.
 */
export type TaskKind__Output = typeof TaskKind[keyof typeof TaskKind]
