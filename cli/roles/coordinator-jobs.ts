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
    open: (request, firstVersion) => openJob(config, request, firstVersion, parts),
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
  parts: JobParts,
): Promise<FederationJob> {
  const jobConfig = request ? configForJob(config, request.settings) : config;
  const strategy = strategyFromConfig(jobConfig);
  const plan = {
    ...(await planFromConfig(jobConfig, strategy.siteTraining.proximalMu)),
    firstVersion,
  };
  const id = request?.id ?? 1;
  const dir = jobDir(config.stateDir, id);
  const store = new FileFederationStore(dir);
  const openRounds = new FileOpenRoundStore(join(dir, 'open-round'), decodeClientPayload);
  const loop = roundLoop(plan, strategy, store, openRounds, parts.clients, parts.loopHooks);
  parts.loopHooks.screening.resume(loop.rounds);
  return { id, name: request?.name ?? 'as configured', dir, plan, store, openRounds, loop };
}
