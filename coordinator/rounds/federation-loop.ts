/**
 * The coordinator's round loop: encoder round, training rounds, calibration, over whatever
 * clients are connected. It persists state after every step so a restarted coordinator
 * resumes at the round it was in (an open round is reopened under a new task id).
 */
import { randomUUID } from 'node:crypto';
import type { ClientPayload, Task, TaskKind } from '../../shared/federation/messages.js';
import type {
  FederationState,
  FederationStore,
  GlobalModel,
  RoundRecord,
} from '../store/federation-state.js';
import { INITIAL_STATE } from '../store/federation-state.js';
import { MemoryOpenRoundStore, type OpenRoundStore } from '../store/open-round.js';
import { aggregationProblem } from '../strategy/check-results.js';
import type { AggregationStrategy } from '../strategy/strategy.js';
import type { ClientProxy, ClientRegistry } from './client-proxy.js';
import { type FederationPlan, quorumCount, sketchValueLimit } from './federation-plan.js';
import { payloadProblem } from './payload-checks.js';
import {
  initialModel,
  meanValidationLoss,
  pooledThresholds,
  trainingFits,
} from './phase-results.js';
import { roundToResume } from './resume-round.js';
import { roundRecord } from './round-record.js';
import { runTasks, type TaskOutcome } from './run-tasks.js';

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
    private readonly strategy: AggregationStrategy,
    private readonly store: FederationStore,
    private readonly events: LoopEvents = {},
    /** The round in progress, so that accepted results survive a restart. */
    private readonly openRounds: OpenRoundStore = new MemoryOpenRoundStore(),
  ) {
    this.state = store.load() ?? INITIAL_STATE;
  }

  /** The model clients should fetch now (null before the encoder round closes). */
  get current(): GlobalModel | null {
    return this.state.model;
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
      if (this.state.phase === 'encoder') await this.encoderRound();
      else if (this.state.phase === 'training') await this.trainingRound(this.state.nextRound);
      else await this.calibrationRound();
    }
    return this.state.model!;
  }

  private async encoderRound(): Promise<void> {
    const { record, outcome } = await this.runRound('sketch', 0, 0);
    if (record.outcome === 'failed') return;
    const started = performance.now();
    const model = initialModel(this.plan, outcome.results);
    this.commit(
      { ...this.state, phase: 'training', model },
      { ...record, aggregateMs: performance.now() - started },
    );
    this.events.onPublish?.(model);
  }

  private async trainingRound(round: number): Promise<void> {
    const before = this.state.model!;
    const { record, outcome } = await this.runRound('train', round, before.version);
    if (record.outcome === 'failed') return;
    const started = performance.now();
    const fits = trainingFits(outcome.results);
    const aggregation = this.strategy.aggregate(before.weights, fits, this.state.serverState);
    const problem = aggregationProblem(aggregation);
    if (problem) {
      // Nothing is published and the previous model stays; the round runs again.
      const reason = `aggregation not published: ${problem}`;
      this.commit(this.state, { ...record, outcome: 'failed', reason });
      this.events.onLog?.(`round ${round} (train) failed: ${reason}; reopening`);
      return;
    }
    const { weights } = aggregation;
    const validationLoss = meanValidationLoss(fits);
    const model: GlobalModel = { ...before, version: before.version + 1, weights };
    const last = round >= this.plan.rounds;
    const byClient = new Map(
      aggregation.reports.map(({ clientId, ...update }) => [clientId, update]),
    );
    this.commit(
      {
        ...this.state,
        phase: last ? 'calibration' : 'training',
        nextRound: round + 1,
        model,
        serverState: aggregation.state,
      },
      {
        ...record,
        results: record.results.map((r) => ({ ...r, update: byClient.get(r.clientId) })),
        strategy: this.strategy.name,
        aggregateMs: performance.now() - started,
        validationLoss,
      },
    );
    for (const r of aggregation.reports)
      if (r.action !== 'kept')
        this.events.onLog?.(`round ${round}: ${r.clientId}: update ${r.action}: ${r.reason}`);
    this.events.onPublish?.(model);
  }

  private async calibrationRound(): Promise<void> {
    const model = this.state.model!;
    const { record, outcome } = await this.runRound(
      'calibrate',
      this.plan.rounds + 1,
      model.version,
    );
    if (record.outcome === 'failed') return;
    const started = performance.now();
    const thresholds = pooledThresholds(outcome.results, this.plan.targetFprs);
    const published: GlobalModel = { ...model, thresholds };
    this.commit(
      { ...this.state, phase: 'done', model: published },
      { ...record, aggregateMs: performance.now() - started },
    );
    this.events.onPublish?.(published);
  }

  /** Waits for enough clients, runs one task on them, and records the outcome. */
  private async runRound(
    kind: TaskKind,
    round: number,
    modelVersion: number,
  ): Promise<{ record: RoundRecord; outcome: TaskOutcome }> {
    const clients = await this.waitForClients();
    const { task, resumed, kept } = this.openTask(kind, round, modelVersion);
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
    const asking = await runTasks(asked, task, {
      quorum: needed,
      signal: this.stopping.signal,
      deadlineMs: task.deadlineMs,
      validate: (clientId, payload) =>
        selected.has(clientId)
          ? this.problemOf(task, clientId, payload)
          : 'client was not selected for this round',
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
  private openTask(kind: TaskKind, round: number, modelVersion: number) {
    // A round a crash left open resumes under its task id, with the results it accepted.
    const left = this.openRounds.load();
    const resumed = roundToResume(left, kind, round, modelVersion, this.state.rounds);
    const task: Task = {
      kind,
      round,
      taskId: resumed?.task.taskId ?? randomUUID(),
      modelVersion,
      deadlineMs: Date.now() + this.plan.roundTimeoutMs,
      training: this.plan.training,
      minCategoryCount: this.plan.siteMinCategoryCount,
      maxCategoryValues: sketchValueLimit(this.plan),
    };
    if (!resumed) this.openRounds.begin({ taskId: task.taskId, kind, round, modelVersion });
    const kept = (resumed?.results ?? []).filter(
      ({ clientId, payload }) => this.problemOf(task, clientId, payload) === null,
    );
    return { task, resumed: resumed !== null, kept };
  }

  /** Why `clientId`'s payload cannot count towards `task`, or null (see payloadProblem). */
  private problemOf(task: Task, clientId: string, payload: ClientPayload): string | null {
    return payloadProblem(
      task,
      this.plan.schema,
      this.state.model,
      payload,
      this.declaredRows(clientId),
      this.plan.maxSiteRows,
    );
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
