/**
 * A running coordinator: the gRPC server, the enrolment allow-list, the federation jobs
 * (each a round loop and its durable state), wired together from the validated configuration.
 */

import type * as grpc from '@grpc/grpc-js';
import { FederationJobs, type JobEvents } from '../../coordinator/jobs/federation-jobs.js';
import type { FederationLoop } from '../../coordinator/rounds/federation-loop.js';
import { RemoteClients } from '../../coordinator/service/remote-clients.js';
import { CoordinatorMetrics } from '../../coordinator/status/coordinator-metrics.js';
import type { FederationStatus } from '../../coordinator/status/federation-status.js';
import { ScreeningRecorder } from '../../coordinator/status/screening-recorder.js';
import { SiteActivity } from '../../coordinator/status/site-activity.js';
import { siteNames, statusBuilder } from '../../coordinator/status/status-builder.js';
import type { RoundRecord } from '../../coordinator/store/federation-state.js';
import type { FileFederationStore } from '../../coordinator/store/file-store.js';
import { describeFederation } from '../../shared/config/describe-federation.js';
import type { CoordinatorConfig } from '../../shared/config/federation-config.js';
import { fingerprint, type Identity } from '../../shared/crypto/identity.js';
import type { GlobalModel } from '../../shared/federation/global-model.js';
import { coordinatorJobs } from './coordinator-jobs.js';
import {
  admission,
  checkStartable,
  federationServer,
  openIngressLog,
  serverCredentials,
  startOperatorDashboard,
} from './coordinator-parts.js';
import { followAllowList } from './follow-allow-list.js';

export interface RunningCoordinator {
  readonly port: number;
  /** The operator's snapshot (dashboard, `fedflow status`). */
  status(): FederationStatus;
  readonly metrics: CoordinatorMetrics;
  /** The dashboard's port when dashboard.enabled. */
  readonly dashboardPort: number | null;
  /** Job 1 and the jobs the operator requests after it (coordinator/jobs). */
  readonly jobs: FederationJobs;
  /** The round loop of the job running now (or of the last one done). */
  readonly loop: FederationLoop;
  /** The state of the job running now (or of the last one done). */
  readonly store: FileFederationStore;
  /** Resolves with the last job's calibrated global model once no job is left to run. */
  readonly done: Promise<GlobalModel>;
  stop(): Promise<void>;
}

export interface CoordinatorOptions extends JobEvents {
  onRound?(record: RoundRecord): void;
  /** Keep following the operator's job requests after the last one is done (until stopped). */
  follow?: boolean;
}

export async function startCoordinator(
  config: CoordinatorConfig,
  log: (line: string) => void,
  options: CoordinatorOptions = {},
): Promise<RunningCoordinator> {
  checkStartable(config);
  const { identity, allowList, enrolment } = admission(config);
  const clients = new RemoteClients(config.transport.reattachSeconds * 1000);
  const metrics = new CoordinatorMetrics(() => clients.connected().length);
  let notifyDashboard = () => {};
  const activity = new SiteActivity();
  // Each closed training round's screening goes to the ingress log, next to the deltas it judged.
  const screening = new ScreeningRecorder(metrics, siteNames(allowList), log);
  const ingress = openIngressLog(config, identity, screening, log);
  const source = coordinatorJobs(config, {
    identity,
    clients,
    log,
    loopHooks: {
      metrics,
      screening,
      ingress,
      log,
      onRound: (record) => {
        options.onRound?.(record);
        notifyDashboard();
      },
      onPublish: () => notifyDashboard(),
    },
  });
  const jobs = new FederationJobs(source, {
    onJobStart: (job) => {
      if (job.id > 1) log(`job ${job.id} (${job.name}) starts: ${job.plan.rounds} rounds`);
      options.onJobStart?.(job);
      notifyDashboard();
    },
    onJobDone: (job, model) => {
      clients.removeAll(`federation job ${job.id} is complete`);
      options.onJobDone?.(job, model);
    },
    onJobRefused: (request, reason) =>
      log(`error: job ${request.id} (${request.name}) cannot run: ${reason}`),
  });
  await jobs.start();
  const parts = { identity, allowList, enrolment, clients, ingress, activity, metrics, jobs };
  const status = statusBuilder({ ...parts, startedMs: Date.now() });
  const server = federationServer(config, { ...parts, log });
  const port = await listenAndSay(server, config, identity, allowList.sites.length, log);
  const dashboard = await startOperatorDashboard(config, server, status, metrics, log);
  notifyDashboard = () => dashboard?.notify();
  const stopFollowing = followAllowList(config.allowListFile, {
    ...parts,
    log,
    onChange: () => notifyDashboard(),
  });
  const done = jobs.run(options.follow ?? false);
  // Whoever awaits `done` sees a failure; an unobserved one (a stopped test server) is no crash.
  done.catch(() => {});
  return {
    port,
    status,
    metrics,
    jobs,
    get loop() {
      return jobs.current.loop;
    },
    get store() {
      return jobs.current.store;
    },
    done,
    dashboardPort: dashboard?.port ?? null,
    stop: async () => {
      jobs.stop('the coordinator is shutting down');
      source.stop();
      stopFollowing();
      await dashboard?.stop();
      await shutDown(server);
    },
  };
}

/** Binds the server and says where, as whom, for how many sites, and how it federates. */
async function listenAndSay(
  server: grpc.Server,
  config: CoordinatorConfig,
  identity: Identity,
  sites: number,
  log: (line: string) => void,
): Promise<number> {
  // Certificate problems fail start-up here, before anything listens.
  const port = await listen(server, config, serverCredentials(config, log));
  log(
    `coordinator ${identity.name} (${fingerprint(identity.signPublicKey)}) listening on ${config.listen.host}:${port}; ${sites} clients on the allow-list`,
  );
  log(`federation: ${describeFederation(config)}`);
  return port;
}

/** Binds the server; resolves with the port (listen.port 0 picks a free one). */
function listen(
  server: grpc.Server,
  config: CoordinatorConfig,
  credentials: grpc.ServerCredentials,
): Promise<number> {
  return new Promise<number>((resolve, reject) =>
    server.bindAsync(`${config.listen.host}:${config.listen.port}`, credentials, (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
}

/** Lets calls in progress finish for up to 2 s, then cuts them. */
function shutDown(server: grpc.Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.tryShutdown(() => resolve());
    setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, 2000).unref();
  });
}
