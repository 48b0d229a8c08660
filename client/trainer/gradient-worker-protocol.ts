/**
 * What the training thread and its gradient worker share: one control word (Atomics), the
 * step's parameters, the weights, the worker's half of the batch (codes, and histories for the
 * sequence model) and its gradient, all
 * in SharedArrayBuffers so that a step costs no message and no copy beyond the batch's codes.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ModelSpec } from '../../shared/model/model-spec.js';
import type { BackendName } from '../../shared/runtime/backend.js';

/** The control word's values: who acts next. */
export const State = {
  /** Main thread: the worker is between steps. */
  Idle: 0,
  /** Worker: read a WorkerSession from the port and build its model. */
  Configure: 1,
  /** Worker: compute the gradient of the rows in `codes`. */
  Step: 2,
  /** Main thread: the worker finished (configured, or gradient written). */
  Done: 3,
  /** Main thread: the worker failed; its message waits on the port. */
  Failed: 4,
  /** Worker: exit. */
  Stop: 5,
} as const;

/** Indices into the Float64 parameter block. */
export const Param = {
  Rows: 0,
  KlWeight: 1,
  Temperature: 2,
  Seed: 3,
  Objective: 4,
  TrainingRows: 5,
} as const;
export const PARAM_COUNT = 6;

export interface WorkerStart {
  readonly backend: BackendName;
  readonly control: SharedArrayBuffer;
  readonly port: MessagePort;
}

/** One model to compute gradients for (sent when the spec or the batch size changes). */
export interface WorkerSession {
  readonly spec: ModelSpec;
  readonly maxRows: number;
  readonly params: SharedArrayBuffer;
  readonly weights: SharedArrayBuffer;
  /** The gradient, then the mean loss: weights + 1 floats. */
  readonly gradient: SharedArrayBuffer;
  readonly codes: SharedArrayBuffer;
  /**
   * The sequence model's input: each row's history codes ([maxRows x steps x fields], NO_FLOW
   * in empty slots), gathered by the training thread; null for models that read none.
   */
  readonly history: SharedArrayBuffer | null;
  readonly steps: number;
}
