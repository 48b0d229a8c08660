/**
 * The one place where domain types (shared/federation/messages.ts) become transport messages
 * and back. Every conversion from the wire is total: an enum value or oneof case this version
 * does not know is a WireError, never a silent default.
 */

import type { UpdateBits } from '../codec/block-quantizer.js';
import {
  type ClientPayload,
  localTrainingProblem,
  MAX_SKETCH_VALUES,
  type Task,
  type TaskKind,
} from '../federation/messages.js';
import { WireError } from './errors.js';
import type { PayloadKind__Output as WirePayloadKind } from './generated/fedflow/v1/PayloadKind.js';
import type { Receipt, Receipt__Output } from './generated/fedflow/v1/Receipt.js';
import type { SubmitHeader, SubmitHeader__Output } from './generated/fedflow/v1/SubmitHeader.js';
import type {
  TaskAssignment,
  TaskAssignment__Output,
} from './generated/fedflow/v1/TaskAssignment.js';
import type { TaskEvent, TaskEvent__Output } from './generated/fedflow/v1/TaskEvent.js';
import type { TaskKind__Output as WireTaskKind } from './generated/fedflow/v1/TaskKind.js';
import { secaggTaskFromWire, secaggTaskToWire } from './secagg-convert.js';

/** Kind of a client payload; what an envelope names and the client signs. */
export type PayloadKind = ClientPayload['kind'];

/**
 * Both directions of an enum mapping, from one table that must list every domain value. From
 * the wire, UNSPECIFIED and values this version does not know (which arrive as bare numbers
 * under `enums: String`) are a WireError.
 */
function enumMapping<Domain extends string, Wire extends string>(
  name: string,
  wireFor: Readonly<Record<Domain, Wire>>,
) {
  const domainFor = new Map<Wire | number, Domain>(
    (Object.entries(wireFor) as [Domain, Wire][]).map(([domain, wire]) => [wire, domain]),
  );
  return {
    toWire: (value: Domain): Wire => wireFor[value],
    fromWire: (value: Wire | number): Domain => {
      const domain = domainFor.get(value);
      if (domain === undefined) {
        const known = [...domainFor.keys()].join(', ');
        throw new WireError(`expected a ${name} of ${known}, got ${value}`);
      }
      return domain;
    },
  };
}

const taskKinds = enumMapping<TaskKind, WireTaskKind>('task kind', {
  sketch: 'TASK_KIND_SKETCH',
  train: 'TASK_KIND_TRAIN',
  calibrate: 'TASK_KIND_CALIBRATE',
  'secagg-keys': 'TASK_KIND_SECAGG_KEYS',
  'secagg-shares': 'TASK_KIND_SECAGG_SHARES',
  'secagg-train': 'TASK_KIND_SECAGG_TRAIN',
  'secagg-unmask': 'TASK_KIND_SECAGG_UNMASK',
});

const payloadKinds = enumMapping<PayloadKind, WirePayloadKind>('payload kind', {
  sketch: 'PAYLOAD_KIND_SKETCH',
  delta: 'PAYLOAD_KIND_DELTA',
  histogram: 'PAYLOAD_KIND_HISTOGRAM',
  'secagg-keys': 'PAYLOAD_KIND_SECAGG_KEYS',
  'secagg-shares': 'PAYLOAD_KIND_SECAGG_SHARES',
  'masked-delta': 'PAYLOAD_KIND_MASKED_DELTA',
  'secagg-unmask': 'PAYLOAD_KIND_SECAGG_UNMASK',
});

/** The proto enum value of a task kind. */
export const taskKindToWire = taskKinds.toWire;
/** The task kind of a proto enum value; a WireError for UNSPECIFIED or an unknown value. */
export const taskKindFromWire = taskKinds.fromWire;
/** The proto enum value of a payload kind. */
export const payloadKindToWire = payloadKinds.toWire;
/** The payload kind of a proto enum value; a WireError for UNSPECIFIED or an unknown value. */
export const payloadKindFromWire = payloadKinds.fromWire;

/** Throws unless value fits an unsigned proto field (protobufjs would wrap a negative one). */
export function checkUnsigned(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new WireError(`expected ${name} to be a non-negative integer, got ${value}`);
  }
  return value;
}

/** The TaskAssignment message announcing a task. */
export function taskToWire(task: Task): TaskAssignment {
  return {
    kind: taskKindToWire(task.kind),
    round: checkUnsigned('round', task.round),
    taskId: task.taskId,
    modelVersion: checkUnsigned('modelVersion', task.modelVersion),
    deadlineUnixMs: checkUnsigned('deadlineMs', task.deadlineMs),
    training: {
      epochs: checkUnsigned('training.epochs', task.training.epochs),
      localSteps: checkUnsigned('training.localSteps', task.training.localSteps),
      batchSize: checkUnsigned('training.batchSize', task.training.batchSize),
      learningRate: task.training.learningRate,
      proximalMu: task.training.proximalMu,
      keepOptimizerState: task.training.keepOptimizerState,
      replayShare: task.training.replayShare,
      updateBits: task.training.updateBits,
      releaseBits: task.training.releaseBits,
    },
    minCategoryCount: checkUnsigned('minCategoryCount', task.minCategoryCount),
    maxCategoryValues: checkUnsigned('maxCategoryValues', task.maxCategoryValues),
    ...(task.secagg ? { secagg: secaggTaskToWire(task.secagg) } : {}),
  };
}

/** The task a TaskAssignment announces. */
export function taskFromWire(message: TaskAssignment__Output): Task {
  if (message.taskId === '') throw new WireError('expected a task id, got an empty string');
  const kind = taskKindFromWire(message.kind);
  const t = message.training;
  const training = {
    epochs: t?.epochs ?? 0,
    localSteps: t?.localSteps ?? 0,
    batchSize: t?.batchSize ?? 0,
    learningRate: t?.learningRate ?? 0,
    proximalMu: t?.proximalMu ?? 0,
    keepOptimizerState: t?.keepOptimizerState ?? false,
    replayShare: t?.replayShare ?? 0,
    // 0: a coordinator that does not publish it, whose deltas are float32.
    updateBits: (t?.updateBits || 32) as UpdateBits,
    releaseBits: (t?.releaseBits || 32) as UpdateBits,
  };
  // 0: a coordinator that does not publish it; the protocol's own limit applies.
  const maxCategoryValues = message.maxCategoryValues || MAX_SKETCH_VALUES;
  const problem =
    kind === 'train' || kind === 'secagg-train'
      ? localTrainingProblem(training)
      : kind === 'sketch' && message.minCategoryCount < 1
        ? `minCategoryCount must be >= 1, got ${message.minCategoryCount}`
        : kind === 'sketch' && maxCategoryValues > MAX_SKETCH_VALUES
          ? `maxCategoryValues must be at most ${MAX_SKETCH_VALUES}, got ${maxCategoryValues}`
          : null;
  if (problem) throw new WireError(`expected usable settings for a ${kind} task: ${problem}`);
  return {
    kind,
    round: message.round,
    taskId: message.taskId,
    modelVersion: message.modelVersion,
    deadlineMs: message.deadlineUnixMs,
    training,
    minCategoryCount: message.minCategoryCount,
    maxCategoryValues,
    ...(kind.startsWith('secagg-') ? { secagg: secaggStepOf(kind, message) } : {}),
  };
}

/** A secure-aggregation task's data, which must be its kind's step. */
function secaggStepOf(kind: TaskKind, message: TaskAssignment__Output) {
  const data = secaggTaskFromWire(message.secagg);
  const step = {
    'secagg-keys': 'keys',
    'secagg-shares': 'shares',
    'secagg-train': 'input',
    'secagg-unmask': 'unmask',
  }[kind as 'secagg-keys'];
  if (data.step !== step)
    throw new WireError(`expected the ${step} step's data in a ${kind} task, got ${data.step}`);
  return data;
}

/** What the WaitForTask stream tells a client. */
export type TaskStreamEvent =
  | { readonly type: 'heartbeat'; readonly nowMs: number }
  | { readonly type: 'task'; readonly task: Task }
  | { readonly type: 'finished'; readonly reason: string };

/** The TaskEvent message for a stream event. */
export function taskEventToWire(event: TaskStreamEvent): TaskEvent {
  switch (event.type) {
    case 'heartbeat':
      return { heartbeat: { nowUnixMs: checkUnsigned('nowMs', event.nowMs) } };
    case 'task':
      return { task: taskToWire(event.task) };
    case 'finished':
      return { finished: { reason: event.reason } };
  }
}

/** The stream event a TaskEvent message carries. */
export function taskEventFromWire(message: TaskEvent__Output): TaskStreamEvent {
  switch (message.event) {
    case 'heartbeat':
      return { type: 'heartbeat', nowMs: message.heartbeat!.nowUnixMs };
    case 'task':
      return { type: 'task', task: taskFromWire(message.task!) };
    case 'finished':
      return { type: 'finished', reason: message.finished!.reason };
    default:
      throw new WireError(
        'expected a TaskEvent with a heartbeat, task or finished event, got none',
      );
  }
}

/** What a client announces before streaming a sealed result. */
export interface ResultHeader {
  readonly sessionToken: string;
  readonly round: number;
  readonly taskId: string;
  /** Kind of the task answered. */
  readonly kind: TaskKind;
  /** Length of the serialised SealedEnvelope. */
  readonly totalBytes: number;
  /** SHA-256 of the serialised SealedEnvelope. */
  readonly sha256: Uint8Array;
}

/** The SubmitHeader message for a result header. */
export function resultHeaderToWire(header: ResultHeader): SubmitHeader {
  return {
    sessionToken: header.sessionToken,
    round: checkUnsigned('round', header.round),
    taskId: header.taskId,
    kind: taskKindToWire(header.kind),
    totalBytes: checkUnsigned('totalBytes', header.totalBytes),
    sha256: header.sha256,
  };
}

/** The result header a SubmitHeader message carries. */
export function resultHeaderFromWire(message: SubmitHeader__Output): ResultHeader {
  return {
    sessionToken: message.sessionToken,
    round: message.round,
    taskId: message.taskId,
    kind: taskKindFromWire(message.kind),
    totalBytes: message.totalBytes,
    sha256: message.sha256,
  };
}

/** The coordinator's acknowledgement of a result. */
export interface ResultReceipt {
  readonly accepted: boolean;
  /** SHA-256 of the serialised SealedEnvelope as received. */
  readonly digest: Uint8Array;
  readonly receivedMs: number;
  readonly coordinatorSignature: Uint8Array;
}

/** The Receipt message for a result receipt. */
export function receiptToWire(receipt: ResultReceipt): Receipt {
  return {
    accepted: receipt.accepted,
    digest: receipt.digest,
    receivedUnixMs: checkUnsigned('receivedMs', receipt.receivedMs),
    coordinatorSignature: receipt.coordinatorSignature,
  };
}

/** The result receipt a Receipt message carries. */
export function receiptFromWire(message: Receipt__Output): ResultReceipt {
  return {
    accepted: message.accepted,
    digest: message.digest,
    receivedMs: message.receivedUnixMs,
    coordinatorSignature: message.coordinatorSignature,
  };
}
