/**
 * Federation jobs on one long-lived coordinator: job 1 is the federation its configuration
 * describes; the operator requests more (retraining on fresh traffic, another model kind)
 * with `fedflow admin job start`. Jobs run one after another, each with its own rounds,
 * models and open round in its own folder (job-requests.ts: jobDir), while enrolment, the
 * task streams and the one signed ingress log carry on across them. A job's model versions
 * continue the previous job's, so no site can take one job's model for another's.
 */
import type { GlobalModel } from '../../shared/federation/global-model.js';
import type { FederationLoop } from '../rounds/federation-loop.js';
import type { FederationPlan } from '../rounds/federation-plan.js';
import type { FederationPhase } from '../store/federation-state.js';
import type { FileFederationStore } from '../store/file-store.js';
import type { FileOpenRoundStore } from '../store/open-round.js';
import type { JobRequest, JobRequestsFile } from './job-requests.js';

export interface FederationJob {
  readonly id: number;
  readonly name: string;
  /** Where its rounds, models and open round are kept. */
  readonly dir: string;
  readonly plan: FederationPlan;
  readonly store: FileFederationStore;
  readonly openRounds: FileOpenRoundStore;
  readonly loop: FederationLoop;
}

/** What the status shows of each job. */
export interface JobSummary {
  readonly id: number;
  readonly name: string;
  readonly modelKind: string;
  readonly plannedRounds: number;
  /**
   * 'waiting' until it starts (a job runs once the ones before it are done); 'refused' when
   * it could not run (`reason`).
   */
  readonly phase: FederationPhase | 'waiting' | 'refused';
  readonly reason?: string;
  readonly modelVersion: number | null;
  readonly dir: string;
}

/** How task streams end: with Finished when a job is complete, UNAVAILABLE when stopping. */
export type StreamEnd = { readonly reason: string; readonly complete: boolean };

export interface JobSource {
  /** The requests signed so far (read again whenever they may have changed). */
  requests(): JobRequestsFile;
  /**
   * Opens job `request` (null: job 1), its first model version `firstVersion`, after the
   * `earlier` jobs (their privacy spending counts toward its own); throws why it cannot run.
   */
  open(
    request: JobRequest | null,
    firstVersion: number,
    earlier: readonly FederationJob[],
  ): Promise<FederationJob>;
  /** Resolves when the requests may have changed (the file was rewritten). */
  changed(): Promise<void>;
}

export interface JobEvents {
  onJobStart?(job: FederationJob): void;
  onJobDone?(job: FederationJob, model: GlobalModel): void;
  /** A requested job that cannot run (its privacy budget already spent, ...); the next one runs. */
  onJobRefused?(request: JobRequest, reason: string): void;
}

export class FederationJobs {
  private job: FederationJob | null = null;
  private readonly done: FederationJob[] = [];
  private readonly refused: { request: JobRequest; reason: string }[] = [];
  /** The last request opened or refused (1: none yet, job 1 being the configured one). */
  private lastId = 1;
  private end = deferred<StreamEnd>();
  private stopped = false;

  constructor(
    private readonly source: JobSource,
    private readonly events: JobEvents = {},
  ) {}

  /** The job now running, or the last one done (null only before `start`). */
  get current(): FederationJob {
    if (!this.job) throw new Error('no federation job has been opened yet');
    return this.job;
  }

  /** Opens job 1, so that the service and status have a job before the first round. */
  async start(): Promise<FederationJob> {
    this.job = await this.source.open(null, 1, []);
    return this.job;
  }

  /** When streams opened now must end: the current job's end. */
  ending(): Promise<StreamEnd> {
    return this.end.promise;
  }

  /**
   * Runs job 1 and every requested job in turn; with `follow`, then waits for more requests
   * and runs them too, until `stop`. Resolves with the last job's model once none is left.
   */
  async run(follow: boolean): Promise<GlobalModel> {
    let model = await this.runCurrent();
    for (;;) {
      const next = this.source.requests().jobs.find((r) => r.id === this.lastId + 1);
      if (next) {
        this.lastId = next.id;
        const job = await this.source
          .open(next, model.version + 1, this.done)
          .catch((error: Error) => {
            this.refused.push({ request: next, reason: error.message });
            this.events.onJobRefused?.(next, error.message);
            return null;
          });
        if (!job) continue;
        this.job = job;
        this.end = deferred<StreamEnd>();
        model = await this.runCurrent();
      } else if (follow && !this.stopped) {
        await this.source.changed();
      } else {
        return model;
      }
    }
  }

  /** The final model of a job that is complete, if its version is `version`. */
  finalModel(version: number): GlobalModel | null {
    const job = this.done.find((j) => j.loop.current?.version === version);
    return job?.loop.current ?? null;
  }

  /** Ends every stream with UNAVAILABLE (`reason`) and the current job's rounds. */
  stop(reason: string): void {
    this.stopped = true;
    this.end.resolve({ reason, complete: false });
    this.job?.loop.stop();
  }

  /** Every job: those done, the one running, and those requested but not started. */
  summaries(): JobSummary[] {
    const running = this.job && !this.done.includes(this.job) ? [this.job] : [];
    const started = [...this.done, ...running].map(summary);
    const refused = this.refused.map(({ request, reason }) => ({
      ...requested(request, 'refused'),
      reason,
    }));
    const waiting = this.source
      .requests()
      .jobs.filter((r) => r.id > this.lastId)
      .map((r) => requested(r, 'waiting'));
    return [...started, ...refused, ...waiting].sort((a, b) => a.id - b.id);
  }

  private async runCurrent(): Promise<GlobalModel> {
    const job = this.current;
    if (this.stopped) throw new Error('the coordinator stopped before the federation finished');
    this.events.onJobStart?.(job);
    const model = await job.loop.run();
    this.done.push(job);
    this.end.resolve({
      reason: `federation complete (job ${job.id}, ${job.name})`,
      complete: true,
    });
    this.events.onJobDone?.(job, model);
    return model;
  }
}

/** A request not (or never to be) running, as the status shows it. */
function requested(r: JobRequest, phase: 'waiting' | 'refused'): JobSummary {
  return {
    id: r.id,
    name: r.name,
    modelKind: String(r.settings['model.kind'] ?? '(as configured)'),
    plannedRounds: Number(r.settings['federation.rounds'] ?? Number.NaN),
    phase,
    modelVersion: null,
    dir: '',
  };
}

function summary(job: FederationJob): JobSummary {
  return {
    id: job.id,
    name: job.name,
    modelKind: job.plan.modelKind ?? 'categorical-vae',
    plannedRounds: job.plan.rounds,
    phase: job.loop.phase,
    modelVersion: job.loop.current?.version ?? null,
    dir: job.dir,
  };
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
