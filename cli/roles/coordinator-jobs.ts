/**
 * The coordinator's federation jobs wired to its parts: each job opened from the
 * configuration with its request's settings in place (its own plan, strategy, state folder
 * and round loop over the same clients), and the operator's signed requests followed while
 * the coordinator runs (a damaged or foreign file is logged and the last good one kept).
 */

import { unwatchFile, watchFile } from 'node:fs';
import { join } from 'node:path';
import type { FederationJob, JobSource } from '../../coordinator/jobs/federation-jobs.js';
import {
  configForJob,
  type JobRequest,
  type JobRequestsFile,
  jobDir,
  jobRequestsPath,
  readJobRequests,
} from '../../coordinator/jobs/job-requests.js';
import { privacyLoad, privacySpent } from '../../coordinator/privacy/gaussian-accountant.js';
import type { PrivacyPlan } from '../../coordinator/rounds/federation-plan.js';
import { planFromConfig, strategyFromConfig } from '../../coordinator/rounds/plan-from-config.js';
import type { RemoteClients } from '../../coordinator/service/remote-clients.js';
import { FileFederationStore } from '../../coordinator/store/file-store.js';
import { FileOpenRoundStore } from '../../coordinator/store/open-round.js';
import type { CoordinatorConfig } from '../../shared/config/federation-config.js';
import type { Identity } from '../../shared/crypto/identity.js';
import { decodeClientPayload } from '../../shared/wire/payload-codec.js';
import { roundLoop } from './coordinator-parts.js';

export interface JobParts {
  readonly identity: Identity;
  readonly clients: RemoteClients;
  readonly loopHooks: Parameters<typeof roundLoop>[5];
  log(line: string): void;
}

/** Jobs for `config`'s coordinator; `stop` ends following its requests file. */
export function coordinatorJobs(
  config: CoordinatorConfig,
  parts: JobParts,
  intervalMs = 1000,
): JobSource & { stop(): void } {
  const path = jobRequestsPath(config.stateDir);
  // A bad file at start stops the coordinator here, before it listens: the operator must know.
  let requests: JobRequestsFile = readJobRequests(path, parts.identity.signPublicKey);
  let waiting: (() => void)[] = [];
  const reread = () => {
    try {
      const file = readJobRequests(path, parts.identity.signPublicKey);
      if (file.serial <= requests.serial) return;
      requests = file;
      parts.log(
        `job requests serial ${file.serial}: ${file.jobs.length} jobs requested after job 1`,
      );
      for (const wake of waiting) wake();
      waiting = [];
    } catch (error) {
      parts.log(
        `warning: ${(error as Error).message}; the requests stay at serial ${requests.serial}`,
      );
    }
  };
  watchFile(path, { interval: intervalMs, persistent: false }, reread);
  return {
    requests: () => requests,
    open: (request, firstVersion, earlier) =>
      openJob(config, request, firstVersion, earlier, parts),
    changed: () => new Promise<void>((resolve) => waiting.push(resolve)),
    stop: () => {
      unwatchFile(path, reread);
      for (const wake of waiting) wake();
    },
  };
}

async function openJob(
  config: CoordinatorConfig,
  request: JobRequest | null,
  firstVersion: number,
  earlier: readonly FederationJob[],
  parts: JobParts,
): Promise<FederationJob> {
  const id = request?.id ?? 1;
  const jobConfig = request ? configForJob(config, request.settings) : config;
  const strategy = strategyFromConfig(jobConfig);
  const planned = await planFromConfig(jobConfig, strategy.siteTraining.proximalMu);
  const privacy = planned.privacy
    ? { ...planned.privacy, earlierLoad: earlierPrivacy(id, planned.privacy, earlier, parts.log) }
    : planned.privacy;
  const plan = { ...planned, firstVersion, privacy };
  const dir = jobDir(config.stateDir, id);
  const store = new FileFederationStore(dir);
  const openRounds = new FileOpenRoundStore(join(dir, 'open-round'), decodeClientPayload);
  const loop = roundLoop(plan, strategy, store, openRounds, parts.clients, parts.loopHooks);
  parts.loopHooks.screening.resume(loop.rounds);
  return { id, name: request?.name ?? 'as configured', dir, plan, store, openRounds, loop };
}

/**
 * The privacy load of the earlier jobs' published training rounds (client-level DP over the
 * same sites composes across jobs); throws when the budget cannot pay for this job's first
 * round, and warns when an earlier job trained without differential privacy, whose rounds no
 * epsilon covers.
 */
function earlierPrivacy(
  id: number,
  privacy: PrivacyPlan,
  earlier: readonly FederationJob[],
  log: (line: string) => void,
): number {
  let load = 0;
  for (const job of earlier) {
    const trained = job.loop.rounds.filter((r) => r.kind === 'train' && r.outcome === 'closed');
    const sigma = job.plan.privacy?.noiseMultiplier;
    if (sigma) load += privacyLoad(sigma, trained.length);
    else if (trained.length > 0)
      log(
        `warning: job ${id} runs under differential privacy, but job ${job.id} published ${trained.length} training rounds without it: the epsilon reported covers the private jobs only`,
      );
  }
  if (load === 0) return 0;
  const spent = privacySpent(privacy.noiseMultiplier, 0, privacy.delta, load).epsilon;
  const first = privacySpent(privacy.noiseMultiplier, 1, privacy.delta, load).epsilon;
  if (privacy.epsilonBudget > 0 && first > privacy.epsilonBudget)
    throw new Error(
      `job ${id}: privacy.epsilonBudget ${privacy.epsilonBudget} cannot pay for a training round: the earlier jobs' rounds spent epsilon ${spent.toFixed(3)} over the same sites and one more round would make it ${first.toFixed(3)} (delta ${privacy.delta})`,
    );
  log(
    `job ${id}: the earlier jobs' training rounds spent epsilon ${spent.toFixed(3)} (delta ${privacy.delta}) over the same sites; this job's rounds add to it`,
  );
  return load;
}
