/**
 * A running coordinator: the gRPC server, the enrolment allow-list, the round loop and its
 * durable state, wired together from the validated configuration.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { AuditEntry } from '../shared/audit/audit-entry.js';
import { AuditLogWriter } from '../shared/audit/audit-log-writer.js';
import { describeFederation } from '../shared/config/describe-federation.js';
import type { CoordinatorConfig } from '../shared/config/federation-config.js';
import { fingerprint } from '../shared/crypto/identity.js';
import { loadPrivateIdentity, loadPublicIdentity } from '../shared/crypto/key-files.js';
import { ReplayGuard } from '../shared/crypto/replay-guard.js';
import type { GlobalModel } from '../shared/federation/global-model.js';
import { appendJsonLine } from '../shared/fs/append-log.js';
import { loadServerCredentials } from '../shared/tls/credentials.js';
import { tolerantService } from '../shared/wire/malformed-request.js';
import { decodeClientPayload } from '../shared/wire/payload-codec.js';
import { loadFederation } from '../shared/wire/proto-loader.js';
import { type Dashboard, startDashboard } from './http/dashboard-server.js';
import { FederationLoop } from './rounds/federation-loop.js';
import { planFromConfig, strategyFromConfig } from './rounds/plan-from-config.js';
import { Enrolment } from './service/enrolment.js';
import { federationHandlers } from './service/federation-service.js';
import { InFlightResults } from './service/in-flight.js';
import { ModelReleases } from './service/model-releases.js';
import { RateLimitedLog } from './service/rate-limited-log.js';
import { RemoteClients } from './service/remote-clients.js';
import { CoordinatorMetrics } from './status/coordinator-metrics.js';
import type { FederationStatus } from './status/federation-status.js';
import { ScreeningRecorder } from './status/screening-recorder.js';
import { SiteActivity } from './status/site-activity.js';
import { siteNames, statusBuilder } from './status/status-builder.js';
import type { RoundRecord } from './store/federation-state.js';
import { FileFederationStore } from './store/file-store.js';
import { FileOpenRoundStore } from './store/open-round.js';

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
  // Refuse a bad configuration before anything is opened or bound.
  if (config.dashboard.enabled && config.dashboard.token.length < 16) {
    throw new Error(
      'dashboard.token: the dashboard is enabled but its token is missing or shorter than 16 characters (set one, or FEDFLOW_DASHBOARD_TOKEN)',
    );
  }
  const identity = loadPrivateIdentity(config.privateKey);
  const allowList = config.clients.map((file) => loadPublicIdentity(file));
  if (allowList.length === 0)
    throw new Error(
      'clients: the allow-list is empty; list the public key files of the sites that may enrol',
    );
  const strategy = strategyFromConfig(config);
  const plan = await planFromConfig(config, strategy.siteTraining.proximalMu);
  const store = new FileFederationStore(config.stateDir);
  const openRounds = new FileOpenRoundStore(
    join(config.stateDir, 'open-round'),
    decodeClientPayload,
  );
  const clients = new RemoteClients(config.transport.reattachSeconds * 1000);
  let finish: (end: { reason: string; complete: boolean }) => void = () => {};
  const finished = new Promise<{ reason: string; complete: boolean }>(
    (resolve) => (finish = resolve),
  );
  const metrics = new CoordinatorMetrics(() => clients.connected().length);
  let notifyDashboard = () => {};
  const activity = new SiteActivity();
  // Each closed training round's screening goes to the ingress log, next to the deltas it judged.
  const screening = new ScreeningRecorder(metrics, siteNames(allowList), log);
  const ingress = AuditLogWriter.open(
    join(config.stateDir, 'audit', 'ingress.jsonl'),
    identity,
    'ingress',
    { keepPlaintext: config.audit.keepPlaintext, onAppend: screening.observe },
  );
  // A round resumed after a crash aggregates deltas accepted before it: name their entries too.
  for (const line of readFileSync(ingress.path, 'utf8').split('\n')) {
    if (!line.includes('"delta"')) continue;
    try {
      screening.observe(JSON.parse(line) as AuditEntry);
    } catch {
      // The writer checked the log's tail on open; a line it cannot parse names no delta.
    }
  }
  if (ingress.quarantined)
    log(
      `warning: the ingress log's last line was cut off (a crash mid write); moved to ${ingress.quarantined} and noted in the log`,
    );
  const loop = new FederationLoop(
    plan,
    clients,
    strategy,
    store,
    {
      onLog: log,
      onRound: (record) => {
        metrics.rounds.inc({ kind: record.kind, outcome: record.outcome });
        if (record.outcome === 'closed')
          metrics.aggregationSeconds.observe({ kind: record.kind }, record.aggregateMs / 1000);
        screening.roundEnded(record, ingress);
        onRound?.(record);
        notifyDashboard();
      },
      onPublish: (model) => {
        metrics.modelVersion.set(model.version);
        notifyDashboard();
      },
    },
    openRounds,
  );
  screening.resume(loop.rounds);
  const status = statusBuilder({
    identity,
    startedMs: Date.now(),
    plannedRounds: plan.rounds,
    allowList,
    loop,
    clients,
    activity,
    ingress,
  });
  const server = new grpc.Server();
  server.addService(
    tolerantService(loadFederation().fedflow.v1.Federation.service),
    federationHandlers({
      identity,
      // Sessions live in memory (clients enrol again after a restart); enrolments are recorded.
      enrolment: new Enrolment(
        identity,
        allowList,
        (session) =>
          appendJsonLine(join(config.stateDir, 'enrolments.jsonl'), {
            at: new Date().toISOString(),
            client: session.identity.name,
            fingerprint: session.clientId,
          }),
        config.transport.sessionIdleSeconds * 1000,
      ),
      clients,
      releases: new ModelReleases(identity),
      replayGuard: new ReplayGuard(),
      ingress,
      activity,
      metrics,
      schema: plan.schema,
      heartbeatMs: config.transport.heartbeatSeconds * 1000,
      maxPayloadBytes: config.transport.maxPayloadBytes,
      maxSiteRows: plan.maxSiteRows,
      uploadIdleMs: config.transport.uploadIdleSeconds * 1000,
      openRounds,
      // Two of the largest results at once, however many clients send.
      inFlight: new InFlightResults(2 * config.transport.maxPayloadBytes),
      unauthenticated: new RateLimitedLog('refused results from no enrolled client', log),
      current: () => loop.current,
      declaredRows: (clientId) => loop.declaredRows(clientId),
      finished,
      log,
    }),
  );
  // Certificate problems fail start-up here, before anything listens.
  const credentials = config.tls.enabled
    ? loadServerCredentials({
        ca: config.tls.ca || undefined,
        cert: config.tls.cert,
        key: config.tls.key,
        requireClientCert: config.tls.requireClientCert,
      }).credentials
    : grpc.ServerCredentials.createInsecure();
  if (!config.tls.enabled)
    log('warning: TLS is off (tls.enabled=false): connections are plaintext; use only on loopback');
  if (config.tls.enabled && config.tls.ca && !config.tls.requireClientCert)
    log(
      'warning: tls.ca is set but tls.requireClientCert is false: sites without a certificate are accepted (set requireClientCert for mutual TLS)',
    );
  if (
    config.dashboard.enabled &&
    !['127.0.0.1', 'localhost', '::1'].includes(config.dashboard.host)
  )
    log(
      `warning: the dashboard listens on ${config.dashboard.host} over plain HTTP; its token travels in clear unless a TLS proxy fronts it`,
    );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${config.listen.host}:${config.listen.port}`, credentials, (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  log(
    `coordinator ${identity.name} (${fingerprint(identity.signPublicKey)}) listening on ${config.listen.host}:${port}; ${allowList.length} clients on the allow-list`,
  );
  log(`federation: ${describeFederation(config)}`);
  let dashboard: Dashboard | null = null;
  if (config.dashboard.enabled) {
    try {
      dashboard = await startDashboard({
        host: config.dashboard.host,
        port: config.dashboard.port,
        token: config.dashboard.token,
        status,
        metrics: () => metrics.text(),
        log,
      });
    } catch (error) {
      // The gRPC port is already bound: release it, or the process would hang.
      server.forceShutdown();
      throw error;
    }
  }
  notifyDashboard = () => dashboard?.notify();
  const done = loop.run().then((model) => {
    finish({ reason: 'federation complete', complete: true });
    return model;
  });
  // Whoever awaits `done` sees a failure; an unobserved one (a stopped test server) is no crash.
  done.catch(() => {});
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
      loop.stop();
      await dashboard?.stop();
      await new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 2000).unref();
      });
    },
  };
}
