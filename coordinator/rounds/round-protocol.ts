/**
 * The seam between the round loop and what a round does. A protocol is a sequence of steps;
 * each step sends one task kind to the sites and takes one payload kind back, checked once on
 * arrival by the step's own check. When every step has closed, the protocol turns the accepted
 * payloads into the next federation state (its own aggregation). The encoder, training and
 * calibration rounds are three protocols of one step each; a multi-step protocol (secure
 * aggregation: keys, shares, masked inputs, unmasking) adds steps without touching the loop.
 */
import {
  type ClientPayload,
  PAYLOAD_FOR_TASK,
  type Task,
  type TaskKind,
} from '../../shared/federation/messages.js';
import type { SecAggTaskData } from '../../shared/federation/secagg-messages.js';
import type {
  FederationPhase,
  FederationState,
  GlobalModel,
  RoundRecord,
} from '../store/federation-state.js';
import type { FederationPlan } from './federation-plan.js';
import type { TaskOutcome } from './run-tasks.js';

/** What a step's check knows besides the payload. */
export interface CheckContext {
  readonly task: Task;
  /** The client whose payload it is. */
  readonly clientId: string;
  readonly plan: FederationPlan;
  /** The published model (null before the encoder round closes). */
  readonly model: GlobalModel | null;
  /** The most rows this client may claim: what it declared in the encoder round. */
  readonly maxRows: number;
}

export interface RoundStep {
  /** The task the sites run; they answer with a PAYLOAD_FOR_TASK[kind] payload. */
  readonly kind: TaskKind;
  /** Why a payload of the right kind cannot count toward this step, or null. */
  check(payload: ClientPayload, context: CheckContext): string | null;
  /**
   * Only these clients are asked (e.g. those whose results the steps before accepted);
   * absent: every connected client.
   */
  participants?(previous: readonly StepResults[]): readonly string[];
  /**
   * A secure-aggregation step's data for one client, built from the base task and the steps
   * before. Throws when the step cannot run (too few sites left): the protocol then fails and
   * runs again from its first step.
   */
  taskData?(clientId: string, context: StepContext): SecAggTaskData;
  /** This step's deadline, when shorter than the round's (steps that do no training). */
  readonly timeoutMs?: number;
}

/** The accepted results of one step. */
export type StepResults = TaskOutcome['results'];

/** What a step's task data is built from. */
export interface StepContext {
  /** The step's task as every client gets it, before its own data. */
  readonly task: Task;
  /** The accepted results of the steps before, in step order. */
  readonly previous: readonly StepResults[];
  /** The most rows a client may claim (what it declared in the encoder round). */
  declaredRows(clientId: string): number;
}

/** A protocol's closing: the next state, what the last step's record gains, and log lines. */
export interface ProtocolClose {
  readonly state: FederationState;
  amend?(record: RoundRecord): RoundRecord;
  readonly log?: readonly string[];
}

export interface RoundProtocol {
  /** The federation phase this protocol runs in (the loop runs it until the phase moves on). */
  readonly phase: Exclude<FederationPhase, 'done'>;
  readonly steps: readonly RoundStep[];
  /** The round number and model version its tasks carry in `state`. */
  position(state: FederationState): { round: number; modelVersion: number };
  /**
   * What the accepted results of every step (in step order) make; `failed` says why nothing
   * is published, and the protocol then runs again from its first step.
   */
  close(
    results: readonly StepResults[],
    state: FederationState,
  ): ProtocolClose | { failed: string } | Promise<ProtocolClose | { failed: string }>;
}

/** Why `payload` cannot count toward `step`: the wrong kind, or what the step's check says. */
export function stepProblem(
  step: RoundStep,
  payload: ClientPayload,
  context: CheckContext,
): string | null {
  const expected = PAYLOAD_FOR_TASK[step.kind];
  if (payload.kind !== expected)
    return `a ${step.kind} task expects a ${expected} payload, got ${payload.kind}`;
  return step.check(payload, context);
}

/** Why a payload answering a task on a published model cannot count, as far as its version says. */
export function modelVersionProblem(
  payload: { modelVersion: number },
  model: GlobalModel | null,
): string | null {
  if (!model) return 'no global model yet';
  if (payload.modelVersion !== model.version)
    return `payload is for model version ${payload.modelVersion}, the round is on version ${model.version}`;
  return null;
}
