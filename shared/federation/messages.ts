/**
 * Domain types of the federation protocol: what coordinator and clients exchange, before
 * any wire encoding or encryption. The wire module converts these to and from proto types;
 * only these (model updates and aggregate statistics) can ever be sent by a client.
 */

/** Work the coordinator hands out. */
export type TaskKind = 'sketch' | 'train' | 'calibrate';

export interface Task {
  readonly kind: TaskKind;
  /** Round number, from 1; the encoder round is round 0's sketch task. */
  readonly round: number;
  /** Unique id of this task (a round may be reopened under a new task id). */
  readonly taskId: string;
  /** Global model version the client must start from (0 before the first model exists). */
  readonly modelVersion: number;
  /** Local epochs for a training task. */
  readonly epochs: number;
  /** When the coordinator stops waiting for results (epoch milliseconds). */
  readonly deadlineMs: number;
}

/** Per-field statistics for the encoder round (values rarer than the client's floor dropped). */
export interface EncoderSketchPayload {
  readonly kind: 'sketch';
  readonly rows: number;
  readonly categorical: readonly {
    readonly field: string;
    readonly values: readonly string[];
    readonly counts: readonly number[];
  }[];
  /** Counts on the published log grid (shared/stats/log-histogram.ts DEFAULT_LOG_GRID). */
  readonly numeric: readonly { readonly field: string; readonly counts: readonly number[] }[];
}

/** A training result: local weights minus the global weights it started from. */
export interface ModelDeltaPayload {
  readonly kind: 'delta';
  readonly modelVersion: number;
  readonly delta: Float32Array;
  /** Training flows used (FedAvg weight). */
  readonly examples: number;
  /** Mean anomaly score of the received global model on the site's validation split (nats). */
  readonly validationLoss: number;
}

/** Calibration: counts of held-out normal flows' scores on the published score grid. */
export interface ScoreHistogramPayload {
  readonly kind: 'histogram';
  readonly modelVersion: number;
  readonly counts: readonly number[];
  readonly flows: number;
}

/** Everything a client can send, and nothing else. */
export type ClientPayload = EncoderSketchPayload | ModelDeltaPayload | ScoreHistogramPayload;

/** The payload kind each task kind expects. */
export const PAYLOAD_FOR_TASK: Readonly<Record<TaskKind, ClientPayload['kind']>> = {
  sketch: 'sketch',
  train: 'delta',
  calibrate: 'histogram',
};
