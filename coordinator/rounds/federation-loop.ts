/**
 * The coordinator's round loop: runs the protocol of the federation's phase (encoder round,
 * training rounds, calibration) over whatever clients are connected, step by step. It persists
 * state after every step so a restarted coordinator resumes at the round it was in (an open
 * round is reopened under a new task id). What a round does is its protocol's business
 * (round-protocol.ts); the loop only sequences, persists and publishes.
 */
import { randomUUID } from 'node:crypto';
import type { ClientPayload, Task, TaskKind } from '../../shared/federation/messages.js';
import type { ReleaseDelta } from '../../shared/federation/release-delta.js';
import type {
  FederationState,
  FederationStore,
  GlobalModel,
  RoundRecord,
} from '../store/federation-state.js';
import { INITIAL_STATE } from '../store/federation-state.js';
import { MemoryOpenRoundStore, type OpenRoundStore } from '../store/open-round.js';
import type { AggregationStrategy } from '../strategy/strategy.js';
import type { ClientProxy, ClientRegistry } from './client-proxy.js';
import { type FederationPlan, quorumCount, sketchValueLimit } from './federation-plan.js';
import { federationProtocols } from './protocols/federation-protocols.js';
import { roundToResume } from './resume-round.js';
import {
  type RoundProtocol,
  type RoundStep,
  type StepResults,
  stepProblem,
} from './round-protocol.js';
import { roundRecord } from './round-record.js';
import { runTasks, type TaskOutcome } from './run-tasks.js';
import { failedToStart, stepTasks } from './step-tasks.js';

export interface LoopEvents {
  onRound?(record: RoundRecord): void;
  onPublish?(model: GlobalModel): void;
  onLog?(line: string): void;
}

export class FederationLoop {
  private state: FederationState;
  private stopped = false;
  private readonly stopping = new AbortController();
  private open: {
    round: number;
    kind: TaskKind;
    taskId: string;
    startedMs: number;
    selected: string[];
  } | null = null;

  constructor(
    private readonly plan: FederationPlan,
    private readonly registry: ClientRegistry,
    strategy: AggregationStrategy,
    private readonly store: FederationStore,
    private readonly events: LoopEvents = {},
    /** The round in progress, so that accepted results survive a restart. */
    private readonly openRounds: OpenRoundStore = new MemoryOpenRoundStore(),
    /** What each phase runs; the standard three unless a test or a new protocol says. */
    private readonly protocols: readonly RoundProtocol[] = federationProtocols(plan, strategy),
  ) {
    this.state = store.load() ?? INITIAL_STATE;
  }

  /** The model clients should fetch now (null before the encoder round closes). */
  get current(): GlobalModel | null {
    return this.state.model;
  }

  /** How the current version was quantised for sites holding the one before, if it was. */
  get currentRelease(): ReleaseDelta | null {
    const { model, release } = this.state;
    return model && release && release.baseVersion + 1 === model.version ? release : null;
  }

  get rounds(): readonly RoundRecord[] {
    return this.state.rounds;
  }

  /** The round now collecting results, if any. */
  get openRound() {
    return this.open;
  }

  get phase() {
    return this.state.phase;
  }

  /** Makes `run` give up at its next wait (a coordinator shutting down). */
  stop(): void {
    this.stopped = true;
    this.stopping.abort();
  }

  /** Runs until calibration is published; resumes from persisted state. */
  async run(): Promise<GlobalModel> {
    while (this.state.phase !== 'done') {
      if (this.stopped) throw new Error('the coordinator stopped before the federation finished');
      await this.runProtocol(this.protocolOf(this.state.phase));
    }
    return this.state.model!;
  }

  /**
   * Why `clientId`'s payload cannot count toward `task`, or null: the check of the step that
   * sent the task. The gRPC service calls this before it receipts a result; results from
   * in-process clients are checked as they arrive.
   */
  check(task: Task, clientId: string, payload: ClientPayload): string | null {
    const step = this.stepOf(task.kind);
    if (!step) return `the ${this.state.phase} phase sends no ${task.kind} tasks`;
    return stepProblem(step, payload, {
      task,
      clientId,
      plan: this.plan,
      model: this.state.model,
      maxRows: this.declaredRows(clientId),
    });
  }

  /** Runs every step of `protocol`, then closes it: publishes what it made, or records why not. */
  private async runProtocol(protocol: RoundProtocol): Promise<void> {
    const { round, modelVersion } = protocol.position(this.state);
    const results: StepResults[] = [];
    let last: RoundRecord | null = null;
    for (const [index, step] of protocol.steps.entries()) {
      const ran = await this.runRound(step, round, modelVersion, results);
      if (ran === null) return;
      const { record, outcome } = ran;
      if (record.outcome === 'failed') return;
      results.push(outcome.results);
      last = record;
      // Steps before the last leave their record now; the last one's waits for the close.
      if (index < protocol.steps.length - 1) this.commit(this.state, record);
    }
    const started = performance.now();
    const closed = await protocol.close(results, this.state);
    if ('failed' in closed) {
      this.commit(this.state, { ...last!, outcome: 'failed', reason: closed.failed });
      this.events.onLog?.(`round ${round} (${last!.kind}) failed: ${closed.failed}; reopening`);
      return;
    }
    const record = closed.amend?.(last!) ?? last!;
    this.commit(closed.state, { ...record, aggregateMs: performance.now() - started });
    for (const line of closed.log ?? []) this.events.onLog?.(line);
    this.events.onPublish?.(closed.state.model!);
  }

  private protocolOf(phase: FederationState['phase']): RoundProtocol {
    const protocol = this.protocols.find((p) => p.phase === phase);
    if (!protocol) throw new Error(`no round protocol for the '${phase}' phase`);
    return protocol;
  }

  /** The step of the current phase's protocol that sends `kind` tasks. */
  private stepOf(kind: TaskKind): RoundStep | undefined {
    if (this.state.phase === 'done') return undefined;
    return this.protocolOf(this.state.phase).steps.find((step) => step.kind === kind);
  }

  /**
   * Waits for enough clients, runs one step's task on them, and records the outcome; null when
   * the step could not start (its failure recorded: the protocol runs again).
   */
  private async runRound(
    step: RoundStep,
    round: number,
    modelVersion: number,
    previous: readonly StepResults[],
  ): Promise<{ record: RoundRecord; outcome: TaskOutcome } | null> {
    const kind = step.kind;
    const wanted = step.participants?.(previous);
    const connected = await this.waitForClients();
    const clients = wanted ? connected.filter((c) => wanted.includes(c.id)) : connected;
    const opened = this.openTask(kind, round, modelVersion, step.timeoutMs);
    const { resumed, kept } = opened;
    let taskFor: (clientId: string) => Task;
    try {
      const context = {
        task: opened.task,
        previous,
        declaredRows: (id: string) => this.declaredRows(id),
      };
      taskFor = stepTasks(step, context, wanted ?? []);
    } catch (error) {
      this.failToStart(opened.task, (error as Error).message);
      return null;
    }
    const task = opened.task;
    // Sites whose result was kept are usually connected again too: count each site once.
    const selected = new Set([...clients.map((c) => c.id), ...kept.map((k) => k.clientId)]);
    const needed = quorumCount(this.plan, selected.size) - kept.length;
    const asked = needed > 0 ? clients.filter((c) => !kept.some((k) => k.clientId === c.id)) : [];
    this.events.onLog?.(
      resumed
        ? `round ${round} (${kind}) resumed after a restart with ${kept.length} accepted results; asking ${asked.length} clients again, task ${task.taskId}`
        : `round ${round} (${kind}) started with ${clients.length} clients, task ${task.taskId}`,
    );
    const startedMs = Date.now();
    this.open = { round, kind, taskId: task.taskId, startedMs, selected: [...selected] };
    const asking = await runTasks(asked, taskFor, {
      quorum: needed,
      signal: this.stopping.signal,
      deadlineMs: task.deadlineMs,
      validate: (client, payload) => {
        if (!selected.has(client.id)) return 'client was not selected for this round';
        return client.checksPayloads ? null : this.check(taskFor(client.id), client.id, payload);
      },
    });
    const outcome: TaskOutcome = {
      results: [...kept, ...asking.results],
      failures: asking.failures,
    };
    this.open = null;
    for (const failure of outcome.failures)
      this.events.onLog?.(`round ${round}: ${failure.clientId}: ${failure.reason}`);
    const record = roundRecord(task, [...selected], outcome, startedMs, this.plan.minClients);
    if (record.outcome === 'failed') {
      // Too few results: record it and run the round again under a new task id.
      this.commit(this.state, record);
      this.events.onLog?.(
        `round ${round} (${kind}) failed: ${outcome.results.length} results, need ${this.plan.minClients}; reopening`,
      );
    }
    return { record, outcome };
  }

  /**
   * The task a round runs under, and the accepted results it starts with (those that still
   * pass the checks). Opens a new task unless a crash left this very round open.
   */
  private openTask(kind: TaskKind, round: number, modelVersion: number, timeoutMs?: number) {
    // A round a crash left open resumes under its task id, with the results it accepted.
    const left = this.openRounds.load();
    const resumed = roundToResume(left, kind, round, modelVersion, this.state.rounds);
    const task: Task = {
      kind,
      round,
      taskId: resumed?.task.taskId ?? randomUUID(),
      modelVersion,
      deadlineMs:
        Date.now() + Math.min(this.plan.roundTimeoutMs, timeoutMs ?? Number.POSITIVE_INFINITY),
      training: this.plan.training,
      minCategoryCount: this.plan.siteMinCategoryCount,
      maxCategoryValues: sketchValueLimit(this.plan),
    };
    if (!resumed) this.openRounds.begin({ taskId: task.taskId, kind, round, modelVersion });
    // Checked again: they were checked on arrival, but under the configuration before the restart.
    const kept = (resumed?.results ?? []).filter(
      ({ clientId, payload }) => this.check(task, clientId, payload) === null,
    );
    return { task, resumed: resumed !== null, kept };
  }

  /** A step that could not start: recorded as a failed round, so the protocol runs again. */
  private failToStart(task: Task, reason: string): void {
    this.commit(this.state, failedToStart(task, reason));
    this.events.onLog?.(`round ${task.round} (${task.kind}) could not start: ${reason}; reopening`);
  }

  /**
   * The most rows a client may claim: what it declared in the encoder round, or for a site
   * that missed that round, no more than the largest site that did.
   */
  declaredRows(clientId: string): number {
    const sketch = [...this.state.rounds]
      .reverse()
      .find((r) => r.kind === 'sketch' && r.outcome === 'closed');
    if (!sketch) return Number.POSITIVE_INFINITY;
    const mine = sketch.results.find((r) => r.clientId === clientId)?.flows;
    return mine ?? Math.max(...sketch.results.map((r) => r.flows ?? 0));
  }

  private async waitForClients(): Promise<readonly ClientProxy[]> {
    const until = Date.now() + this.plan.waitForClientsMs;
    for (;;) {
      const clients = this.registry.connected();
      if (clients.length >= this.plan.minClients) return clients;
      if (this.stopped) throw new Error('the coordinator stopped before the federation finished');
      if (Date.now() >= until) {
        throw new Error(
          `only ${clients.length} clients connected after ${this.plan.waitForClientsMs} ms; the plan needs ${this.plan.minClients}`,
        );
      }
      await this.registry.changed(Math.min(1000, until - Date.now()));
    }
  }

  private commit(state: FederationState, record: RoundRecord): void {
    // A stopped loop must not write: a restarted coordinator may already own the state.
    if (this.stopped) return;
    this.state = { ...state, rounds: [...state.rounds, record] };
    this.store.save(this.state);
    // The record holds the round's outcome now; a failed round runs again as a new task.
    this.openRounds.clear();
    this.events.onRound?.(record);
  }
}
