/**
 * Domain types of the federation protocol: what coordinator and clients exchange, before
 * any wire encoding or encryption. The wire module converts these to and from proto types;
 * only these (model updates and aggregate statistics) can ever be sent by a client.
 */
import { type QuantizedVector, UPDATE_BITS, type UpdateBits } from '../codec/block-quantizer.js';
import type { SecAggPayload, SecAggTaskData } from './secagg-messages.js';

/**
 * Most values one categorical field of a sketch may carry, whatever a coordinator publishes
 * (an encoder keeps a few hundred). A protocol limit: sites, coordinators and auditors use it.
 */
export const MAX_SKETCH_VALUES = 1024;

/**
 * Work the coordinator hands out. A secure-aggregation training round is four tasks: keys,
 * shares, the training itself (a masked delta), unmasking (secagg-messages.ts).
 */
export type TaskKind =
  | 'sketch'
  | 'train'
  | 'calibrate'
  | 'secagg-keys'
  | 'secagg-shares'
  | 'secagg-train'
  | 'secagg-unmask';

export interface Task {
  readonly kind: TaskKind;
  /** Round number, from 1; the encoder round is round 0's sketch task. */
  readonly round: number;
  /** Unique id of this task (a round may be reopened under a new task id). */
  readonly taskId: string;
  /** Global model version the client must start from (0 before the first model exists). */
  readonly modelVersion: number;
  /** When the coordinator stops waiting for results (epoch milliseconds). */
  readonly deadlineMs: number;
  /** How a training task trains: published, so every site trains alike whatever its config. */
  readonly training: LocalTrainingSettings;
  /** Sketch tasks: categorical values seen fewer times stay out of the sketch. */
  readonly minCategoryCount: number;
  /** Sketch tasks: at most this many values per categorical field (1..MAX_SKETCH_VALUES). */
  readonly maxCategoryValues: number;
  /** Secure-aggregation tasks: the step's own data (for this site: its shares differ). */
  readonly secagg?: SecAggTaskData;
}

/** The local training of a federated round (see proto LocalTraining). */
export interface LocalTrainingSettings {
  /** Local epochs; used when `localSteps` is 0. */
  readonly epochs: number;
  /** Optimiser steps per round, equal at every site; 0 = train `epochs` epochs. */
  readonly localSteps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** FedProx mu: weight of (mu / 2) * ||w - w_global||^2; 0 = off. */
  readonly proximalMu: number;
  /** Keep the site's Adam moments across rounds instead of starting each round afresh. */
  readonly keepOptimizerState: boolean;
  /**
   * Share of local training flows sampled from the global model (generative replay) from the
   * second training round on, so local steps keep what the model knows of other sites; 0 = off.
   */
  readonly replayShare: number;
  /** Bits per value of the delta a site sends: 32 (float32 as is), 8 or 4 (quantised with error feedback). */
  readonly updateBits: UpdateBits;
  /**
   * Bits per value of a new global model sent to a site holding the version before: 32 (the
   * weights in float32), 8 or 4 (a quantised change; shared/federation/release-delta.ts).
   */
  readonly releaseBits: UpdateBits;
}

/** Why published training settings cannot be used, or null when they can. */
/**
 * The most work a site accepts from one task, so that a faulty or hostile coordinator cannot
 * make it train for days or sample without bound: replayShare 0.9 is 9 replayed flows for
 * each of the site's own.
 */
export const LOCAL_TRAINING_LIMITS = {
  epochs: 1_000,
  localSteps: 100_000,
  batchSize: 65_536,
  replayShare: 0.9,
} as const;

export function localTrainingProblem(t: LocalTrainingSettings): string | null {
  const whole = (name: keyof typeof LOCAL_TRAINING_LIMITS, v: number) =>
    Number.isInteger(v) && v >= 0 && v <= LOCAL_TRAINING_LIMITS[name]
      ? null
      : `${name} must be an integer in [0, ${LOCAL_TRAINING_LIMITS[name]}], got ${v}`;
  const positive = (name: string, v: number) =>
    Number.isFinite(v) && v > 0 ? null : `${name} must be a positive number, got ${v}`;
  return (
    whole('epochs', t.epochs) ??
    whole('localSteps', t.localSteps) ??
    (t.epochs === 0 && t.localSteps === 0 ? 'one of epochs and localSteps must be > 0' : null) ??
    (t.batchSize > 0 ? whole('batchSize', t.batchSize) : positive('batchSize', t.batchSize)) ??
    positive('learningRate', t.learningRate) ??
    (Number.isFinite(t.proximalMu) && t.proximalMu >= 0
      ? null
      : `proximalMu must be a non-negative number, got ${t.proximalMu}`) ??
    (t.replayShare >= 0 && t.replayShare <= LOCAL_TRAINING_LIMITS.replayShare
      ? null
      : `replayShare must be in [0, ${LOCAL_TRAINING_LIMITS.replayShare}], got ${t.replayShare}`) ??
    (UPDATE_BITS.includes(t.updateBits)
      ? null
      : `updateBits must be one of ${UPDATE_BITS.join(', ')}, got ${t.updateBits}`) ??
    (UPDATE_BITS.includes(t.releaseBits)
      ? null
      : `releaseBits must be one of ${UPDATE_BITS.join(', ')}, got ${t.releaseBits}`)
  );
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
  /** The delta's values; of a quantised delta, what its codes decode to. */
  readonly delta: Float32Array;
  /** How an 8- or 4-bit delta travels (absent: float32 as is). */
  readonly quantized?: QuantizedVector;
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
export type ClientPayload =
  | EncoderSketchPayload
  | ModelDeltaPayload
  | ScoreHistogramPayload
  | SecAggPayload;

/** The payload kind each task kind expects. */
export const PAYLOAD_FOR_TASK: Readonly<Record<TaskKind, ClientPayload['kind']>> = {
  sketch: 'sketch',
  train: 'delta',
  calibrate: 'histogram',
  'secagg-keys': 'secagg-keys',
  'secagg-shares': 'secagg-shares',
  'secagg-train': 'masked-delta',
  'secagg-unmask': 'secagg-unmask',
};
