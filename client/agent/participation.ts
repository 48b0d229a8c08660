/**
 * A site's participation loop: enrol, wait for tasks, do each one and submit the result,
 * until the coordinator says the federation is finished. Connection failures are retried
 * with exponential backoff and jitter; after a coordinator restart the site enrols again.
 */
import type { GlobalModel } from '../../shared/federation/global-model.js';
import type { ClientPayload, Task } from '../../shared/federation/messages.js';
import { parameterCount } from '../../shared/model/model-spec.js';
import { ModelSpecError, readModelSpec } from '../../shared/model/read-model-spec.js';
import { SecAggRefusal } from '../../shared/secagg/secagg-site.js';
import { describeTlsError } from '../../shared/tls/handshake-errors.js';
import { FedflowError } from '../../shared/wire/errors.js';
import type { CoordinatorConnection } from '../transport/coordinator-connection.js';
import type { SiteWorker } from './site-worker.js';

export interface ParticipationOptions {
  readonly connection: CoordinatorConnection;
  readonly worker: SiteWorker;
  readonly reconnect: {
    readonly initialMs: number;
    readonly maxMs: number;
    /** TLS handshake failures in a row before giving up (a certificate does not heal itself). */
    readonly tlsAttempts?: number;
  };
  readonly log: (line: string, fields?: Record<string, unknown>) => void;
  /** Called after each accepted submission (for logs and metrics). */
  readonly onSubmitted?: (task: Task, sealedBytes: number) => void;
  readonly signal?: AbortSignal;
}

/**
 * What a site carries across reconnects: the model it holds, the version its last task named,
 * and which tasks are done or computed but not yet answered.
 */
interface Progress {
  model: GlobalModel | null;
  lastVersion: number;
  // A task may be sent again after a reconnect (or a coordinator restart, which resumes an
  // open round under its task id): each is computed once, and sent until it is answered.
  readonly done: Set<string>;
  readonly unanswered: Map<string, ClientPayload>;
}

type TaskStream = ReturnType<CoordinatorConnection['tasks']>;

/** Runs until the federation finishes; resolves with the final (calibrated) global model. */
export async function participate(options: ParticipationOptions): Promise<GlobalModel | null> {
  const { connection, log, signal } = options;
  let delay = options.reconnect.initialMs;
  const tlsAttempts = options.reconnect.tlsAttempts ?? 5;
  let tlsFailures = 0;
  const progress: Progress = {
    model: null,
    lastVersion: 0,
    done: new Set(),
    unanswered: new Map(),
  };
  while (!signal?.aborted) {
    let stream: TaskStream | null = null;
    try {
      const { token, heartbeatMs } = await connection.enrol();
      log(`enrolled with the coordinator at ${connection.address}`);
      delay = options.reconnect.initialMs;
      tlsFailures = 0;
      stream = connection.tasks(token);
      return await followTasks(options, token, stream, heartbeatMs, progress);
    } catch (error) {
      if (signal?.aborted) break;
      // Retrying cannot fix these: a local failure, keys the coordinator will never accept, or
      // a published model no model code can build (it would be sent again alike).
      if (error instanceof LocalTaskError || error instanceof ModelSpecError || isPermanent(error))
        throw error;
      if (error instanceof FedflowError && error.code === 'deadline-exceeded') {
        continue; // the task stream's own deadline: renew it at once
      }
      const wait = Math.round(delay * (0.5 + Math.random()));
      const tls = describeTlsError(error, connection.address);
      if (tls) {
        // Said once, clearly; then a bounded number of quiet attempts (the operator may be
        // replacing a certificate), then a failure with the reason, so the process exits.
        tlsFailures++;
        if (tlsFailures >= tlsAttempts)
          throw new Error(`${tls}; gave up after ${tlsFailures} attempts`, { cause: error });
        if (tlsFailures === 1)
          log(`warning: ${tls}; trying ${tlsAttempts - 1} more times before giving up`);
      } else {
        tlsFailures = 0;
        const why = error instanceof Error ? error.message : String(error);
        log(`warning: connection to the coordinator failed (${why}); retrying in ${wait} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
      delay = Math.min(options.reconnect.maxMs, delay * 2);
    } finally {
      stream?.cancel();
    }
  }
  return progress.model;
}

/**
 * Follows one enrolment's task stream until the federation finishes (resolving with the final
 * model); throws when the stream fails, ends early or the coordinator goes silent.
 */
async function followTasks(
  options: ParticipationOptions,
  token: string,
  stream: TaskStream,
  heartbeatMs: number,
  progress: Progress,
): Promise<GlobalModel | null> {
  const { connection, log, signal } = options;
  const watchdog = new Watchdog(heartbeatMs * 3, () => stream.cancel());
  const stop = () => stream.cancel();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    for await (const event of stream.events) {
      watchdog.reset();
      if (event.type === 'heartbeat') continue;
      if (event.type === 'finished') {
        log(`federation finished: ${event.reason}`);
        // The last version now carries the shared thresholds calibration placed.
        const final =
          progress.lastVersion > 0
            ? checked(await connection.fetchModel(token, progress.lastVersion, progress.model))
            : progress.model;
        if (final) connection.noteFinished(final);
        return final;
      }
      watchdog.pause(); // our own work is not the coordinator going silent
      if (progress.done.has(event.task.taskId)) continue;
      await answerTask(options, token, event.task, progress);
      watchdog.reset();
    }
    throw new Error('the task stream ended without a finished message');
  } finally {
    watchdog.stop();
    signal?.removeEventListener('abort', stop);
  }
}

/**
 * Does one task (or takes the result computed before a reconnect) and submits it. A result
 * the coordinator no longer wants counts as answered; any other failure is thrown.
 */
async function answerTask(
  options: ParticipationOptions,
  token: string,
  task: Task,
  progress: Progress,
): Promise<void> {
  const { connection, worker, log } = options;
  log('task received', {
    round: task.round,
    task: task.kind,
    modelVersion: task.modelVersion,
  });
  const started = performance.now();
  const releaseBytes = connection.releaseBytes;
  if (task.kind !== 'sketch' && progress.model?.version !== task.modelVersion)
    progress.model = checked(await connection.fetchModel(token, task.modelVersion, progress.model));
  progress.lastVersion = task.modelVersion;
  const fetched = performance.now();
  let payload: ClientPayload;
  try {
    payload = progress.unanswered.get(task.taskId) ?? (await worker.run(task, progress.model));
  } catch (error) {
    // A secure-aggregation request this site must not answer (or cannot: it lost the
    // aggregation's secrets): it sends nothing, and the coordinator counts it as dropped.
    if (error instanceof SecAggRefusal) {
      progress.done.add(task.taskId);
      log(`warning: refused the ${task.kind} task of round ${task.round}: ${error.message}`);
      return;
    }
    throw new LocalTaskError(task, error);
  }
  progress.unanswered.set(task.taskId, payload);
  const worked = performance.now();
  try {
    const receipt = await connection.submit(token, task, payload);
    progress.done.add(task.taskId);
    progress.unanswered.delete(task.taskId);
    options.onSubmitted?.(task, receipt.sealedBytes);
    log(`submitted ${payload.kind}`, {
      round: task.round,
      task: task.kind,
      sealedBytes: receipt.sealedBytes,
      // Where the task's time went: the round's cost beyond local work shows here.
      fetchMs: Math.round(fetched - started),
      releaseBytes: connection.releaseBytes - releaseBytes,
      workMs: Math.round(worked - fetched),
      trainMs: worker.lastTrainingMs,
      submitMs: Math.round(performance.now() - worked),
    });
  } catch (error) {
    // The round closed or moved on meanwhile: nothing to retry, wait for the next task.
    if (!(error instanceof FedflowError && error.code === 'failed-precondition')) throw error;
    progress.done.add(task.taskId);
    progress.unanswered.delete(task.taskId);
    log(`warning: result not accepted: ${error.message}`, { round: task.round, task: task.kind });
  }
}

/** A task failed on this site (e.g. its data file is unreadable): not a connection problem. */
export class LocalTaskError extends Error {
  constructor(task: Task, cause: unknown) {
    super(
      `the ${task.kind} task of round ${task.round} failed here: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = 'LocalTaskError';
  }
}

function isPermanent(error: unknown): boolean {
  return (
    error instanceof FedflowError &&
    error.code === 'unauthenticated' &&
    /allow-list|trusted coordinator/.test(error.message)
  );
}

/** Fires when nothing was heard for `ms` (the coordinator or the network went silent). */
class Watchdog {
  private timer: NodeJS.Timeout | null = null;
  constructor(
    private readonly ms: number,
    private readonly fire: () => void,
  ) {
    this.reset();
  }
  reset(): void {
    this.stop();
    this.timer = setTimeout(this.fire, this.ms);
  }
  pause(): void {
    this.stop();
  }
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/**
 * A release whose signature verified, its spec read like any model's: a coordinator that
 * publishes a spec no model can be built from stops the site here, naming the field.
 */
function checked(model: GlobalModel): GlobalModel {
  const source = `model release v${model.version}`;
  const spec = readModelSpec(model.spec, source);
  const needed = parameterCount(spec.weights);
  if (model.weights.length !== needed)
    throw new ModelSpecError(
      source,
      `it carries ${model.weights.length} weights, its manifest needs ${needed}`,
    );
  return { ...model, spec };
}
