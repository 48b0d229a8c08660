/**
 * A running coordinator: the gRPC server, the enrolment allow-list, the round loop and its
 * durable state, wired together from the validated configuration.
 */

import { join } from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import type { FederationLoop } from '../../coordinator/rounds/federation-loop.js';
import { planFromConfig, strategyFromConfig } from '../../coordinator/rounds/plan-from-config.js';
import { RemoteClients } from '../../coordinator/service/remote-clients.js';
import { CoordinatorMetrics } from '../../coordinator/status/coordinator-metrics.js';
import type { FederationStatus } from '../../coordinator/status/federation-status.js';
import { ScreeningRecorder } from '../../coordinator/status/screening-recorder.js';
import { SiteActivity } from '../../coordinator/status/site-activity.js';
import { siteNames, statusBuilder } from '../../coordinator/status/status-builder.js';
import type { RoundRecord } from '../../coordinator/store/federation-state.js';
import { FileFederationStore } from '../../coordinator/store/file-store.js';
import { FileOpenRoundStore } from '../../coordinator/store/open-round.js';
import { describeFederation } from '../../shared/config/describe-federation.js';
import type { CoordinatorConfig } from '../../shared/config/federation-config.js';
import { fingerprint, type Identity } from '../../shared/crypto/identity.js';
import type { GlobalModel } from '../../shared/federation/global-model.js';
import { decodeClientPayload } from '../../shared/wire/payload-codec.js';
import {
  admission,
  checkStartable,
  federationServer,
  openIngressLog,
  roundLoop,
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
  readonly loop: FederationLoop;
  readonly store: FileFederationStore;
  /** Resolves with the calibrated global model when the federation is complete. */
  readonly done: Promise<GlobalModel>;
  stop(): Promise<void>;
}

export async function startCoordinator(
  config: CoordinatorConfig,
  log: (line: string) => void,
  onRound?: (r: RoundRecord) => void,
): Promise<RunningCoordinator> {
  checkStartable(config);
  const { identity, allowList, enrolment } = admission(config);
  const strategy = strategyFromConfig(config);
  const plan = await planFromConfig(config, strategy.siteTraining.proximalMu);
  const store = new FileFederationStore(config.stateDir);
  const openRounds = new FileOpenRoundStore(
    join(config.stateDir, 'open-round'),
    decodeClientPayload,
  );
  const clients = new RemoteClients(config.transport.reattachSeconds * 1000);
  const { finished, finish } = streamEnd();
  const metrics = new CoordinatorMetrics(() => clients.connected().length);
  let notifyDashboard = () => {};
  const activity = new SiteActivity();
  // Each closed training round's screening goes to the ingress log, next to the deltas it judged.
  const screening = new ScreeningRecorder(metrics, siteNames(allowList), log);
  const ingress = openIngressLog(config, identity, screening, log);
  const loop = roundLoop(plan, strategy, store, openRounds, clients, {
    metrics,
    screening,
    ingress,
    log,
    onRound: (record) => {
      onRound?.(record);
      notifyDashboard();
    },
    onPublish: () => notifyDashboard(),
  });
  screening.resume(loop.rounds);
  const parts = {
    identity,
    allowList,
    enrolment,
    plan,
    clients,
    ingress,
    activity,
    metrics,
    openRounds,
  };
  const status = statusBuilder({
    ...parts,
    loop,
    startedMs: Date.now(),
    plannedRounds: plan.rounds,
    privacy: plan.privacy,
  });
  const server = federationServer(config, { ...parts, loop, finished, log });
  const port = await listenAndSay(server, config, identity, allowList.sites.length, log);
  const dashboard = await startOperatorDashboard(config, server, status, metrics, log);
  notifyDashboard = () => dashboard?.notify();
  const stopFollowing = followAllowList(config.allowListFile, {
    ...parts,
    log,
    onChange: () => notifyDashboard(),
  });
  const done = runToEnd(loop, finish);
  return {
    port,
    status,
    metrics,
    loop,
    store,
    done,
    dashboardPort: dashboard?.port ?? null,
    stop: async () => {
      finish({ reason: 'the coordinator is shutting down', complete: false });
      stopFollowing();
      loop.stop();
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

type StreamEnd = { reason: string; complete: boolean };

/** Resolves when task streams must end: the federation is complete, or the coordinator stops. */
function streamEnd(): { finished: Promise<StreamEnd>; finish: (end: StreamEnd) => void } {
  let finish: (end: StreamEnd) => void = () => {};
  const finished = new Promise<StreamEnd>((resolve) => (finish = resolve));
  return { finished, finish };
}

/** Runs the rounds; task streams end with Finished once the federation is complete. */
function runToEnd(loop: FederationLoop, finish: (end: StreamEnd) => void): Promise<GlobalModel> {
  const done = loop.run().then((model) => {
    finish({ reason: 'federation complete', complete: true });
    return model;
  });
  // Whoever awaits `done` sees a failure; an unobserved one (a stopped test server) is no crash.
  done.catch(() => {});
  return done;
}
