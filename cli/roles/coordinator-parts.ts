/**
 * The parts startCoordinator (coordinator.ts) assembles: start-up checks, the ingress log,
 * the gRPC server and its credentials, the round loop and the operator's dashboard.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { AllowList } from '../../coordinator/enrolment/allow-list.js';
import { readAllowList } from '../../coordinator/enrolment/signed-allow-list.js';
import { type Dashboard, startDashboard } from '../../coordinator/http/dashboard-server.js';
import type { FederationJobs } from '../../coordinator/jobs/federation-jobs.js';
import { FederationLoop } from '../../coordinator/rounds/federation-loop.js';
import type { FederationPlan } from '../../coordinator/rounds/federation-plan.js';
import { Enrolment } from '../../coordinator/service/enrolment.js';
import { federationHandlers } from '../../coordinator/service/federation-service.js';
import { InFlightResults } from '../../coordinator/service/in-flight.js';
import { ModelReleases } from '../../coordinator/service/model-releases.js';
import { RateLimitedLog } from '../../coordinator/service/rate-limited-log.js';
import type { RemoteClients } from '../../coordinator/service/remote-clients.js';
import type { CoordinatorMetrics } from '../../coordinator/status/coordinator-metrics.js';
import type { FederationStatus } from '../../coordinator/status/federation-status.js';
import type { ScreeningRecorder } from '../../coordinator/status/screening-recorder.js';
import type { SiteActivity } from '../../coordinator/status/site-activity.js';
import type { RoundRecord } from '../../coordinator/store/federation-state.js';
import type { FileFederationStore } from '../../coordinator/store/file-store.js';
import type { FileOpenRoundStore } from '../../coordinator/store/open-round.js';
import type { AggregationStrategy } from '../../coordinator/strategy/strategy.js';
import type { AuditEntry } from '../../shared/audit/audit-entry.js';
import { AuditLogWriter } from '../../shared/audit/audit-log-writer.js';
import type { CoordinatorConfig } from '../../shared/config/federation-config.js';
import type { Identity } from '../../shared/crypto/identity.js';
import { loadPrivateIdentity, loadPublicIdentity } from '../../shared/crypto/key-files.js';
import { ReplayGuard } from '../../shared/crypto/replay-guard.js';
import { appendJsonLine } from '../../shared/fs/append-log.js';
import { loadServerCredentials } from '../../shared/tls/credentials.js';
import { tolerantService } from '../../shared/wire/malformed-request.js';
import { loadFederation } from '../../shared/wire/proto-loader.js';

/** Refuses a bad configuration before anything is opened or bound. */
export function checkStartable(config: CoordinatorConfig): void {
  if (config.dashboard.enabled && config.dashboard.token.length < 16) {
    throw new Error(
      'dashboard.token: the dashboard is enabled but its token is missing or shorter than 16 characters (set one, or FEDFLOW_DASHBOARD_TOKEN)',
    );
  }
}

/** The signed ingress log; the screening recorder learns of every delta entry already in it. */
export function openIngressLog(
  config: CoordinatorConfig,
  identity: Identity,
  screening: ScreeningRecorder,
  log: (line: string) => void,
): AuditLogWriter {
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
  return ingress;
}

/** What the gRPC service needs from the coordinator's other parts. */
export interface ServerParts {
  readonly identity: Identity;
  readonly enrolment: Enrolment;
  readonly clients: RemoteClients;
  readonly ingress: AuditLogWriter;
  readonly activity: SiteActivity;
  readonly metrics: CoordinatorMetrics;
  /** The federation job running now (or the last one done) and when its streams end. */
  readonly jobs: Pick<FederationJobs, 'current' | 'ending' | 'finalModel'>;
  log(line: string): void;
}

/** The gRPC server with the federation service on it, not yet bound. */
export function federationServer(config: CoordinatorConfig, parts: ServerParts): grpc.Server {
  const { identity, enrolment, clients, ingress, activity, metrics, jobs, log } = parts;
  // Results go to the open round of whichever job runs when they arrive.
  const openRounds = {
    saveResult: (taskId: string, clientId: string, plaintext: Uint8Array) =>
      jobs.current.openRounds.saveResult(taskId, clientId, plaintext),
  };
  const server = new grpc.Server();
  server.addService(
    tolerantService(loadFederation().fedflow.v1.Federation.service),
    federationHandlers({
      identity,
      enrolment,
      clients,
      releases: new ModelReleases(identity),
      replayGuard: new ReplayGuard(),
      ingress,
      activity,
      metrics,
      heartbeatMs: config.transport.heartbeatSeconds * 1000,
      maxPayloadBytes: config.transport.maxPayloadBytes,
      uploadIdleMs: config.transport.uploadIdleSeconds * 1000,
      openRounds,
      // Two of the largest results at once, however many clients send.
      inFlight: new InFlightResults(2 * config.transport.maxPayloadBytes),
      unauthenticated: new RateLimitedLog('warning: refused results from no enrolled client', log),
      refusedEnrolments: new RateLimitedLog('warning: refused an enrolment', log),
      current: () => jobs.current.loop.current,
      currentRelease: () => jobs.current.loop.currentRelease,
      finalModel: (version) => jobs.finalModel(version),
      check: (task, clientId, payload) => jobs.current.loop.check(task, clientId, payload),
      ending: () => jobs.ending(),
      log,
    }),
  );
  return server;
}

/** The server's credentials (mutual TLS unless turned off), warning of weaker set-ups. */
export function serverCredentials(
  config: CoordinatorConfig,
  log: (line: string) => void,
): grpc.ServerCredentials {
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
  return credentials;
}

/** The round loop, its events counted in the metrics and its screenings logged. */
export function roundLoop(
  plan: FederationPlan,
  strategy: AggregationStrategy,
  store: FileFederationStore,
  openRounds: FileOpenRoundStore,
  clients: RemoteClients,
  hooks: {
    metrics: CoordinatorMetrics;
    screening: ScreeningRecorder;
    ingress: AuditLogWriter;
    log: (line: string) => void;
    onRound: (record: RoundRecord) => void;
    onPublish: () => void;
  },
): FederationLoop {
  const { metrics, screening, ingress } = hooks;
  return new FederationLoop(
    plan,
    clients,
    strategy,
    store,
    {
      onLog: hooks.log,
      onRound: (record) => {
        metrics.rounds.inc({ kind: record.kind, outcome: record.outcome });
        if (record.outcome === 'closed')
          metrics.aggregationSeconds.observe({ kind: record.kind }, record.aggregateMs / 1000);
        if (record.privacy) metrics.privacySpent(record.privacy, plan.privacy?.epsilonBudget ?? 0);
        screening.roundEnded(record, ingress);
        hooks.onRound(record);
      },
      onPublish: (model) => {
        metrics.modelVersion.set(model.version);
        hooks.onPublish();
      },
    },
    openRounds,
  );
}

/** The operator's dashboard when enabled; a failure to start releases the bound gRPC port. */
export async function startOperatorDashboard(
  config: CoordinatorConfig,
  server: grpc.Server,
  status: () => FederationStatus,
  metrics: CoordinatorMetrics,
  log: (line: string) => void,
): Promise<Dashboard | null> {
  if (!config.dashboard.enabled) return null;
  try {
    return await startDashboard({
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

/**
 * The sites that may enrol: from the signed allow-list file when `allowListFile` is set (it
 * may then change while running: follow-allow-list.ts), else from the public key files in
 * `clients`; never none at start.
 */
export function loadAllowList(config: CoordinatorConfig, coordinator: Identity): AllowList {
  if (config.allowListFile) {
    if (config.clients.length > 0)
      throw new Error(
        'clients and allowListFile are both set: the allow-list comes from one of them (allowListFile, which fedflow admin changes while running, or the public key files in clients)',
      );
    const file = readAllowList(config.allowListFile, coordinator.signPublicKey);
    if (file.sites.length === 0)
      throw new Error(
        `allowListFile ${config.allowListFile}: no site is allowed (fedflow admin enrol adds one)`,
      );
    return new AllowList(file.sites, file.serial);
  }
  const allowList = config.clients.map((file) => loadPublicIdentity(file));
  if (allowList.length === 0)
    throw new Error(
      'clients: the allow-list is empty; list the public key files of the sites that may enrol',
    );
  return new AllowList(allowList);
}

/** Who the coordinator is and whom it admits: its key, the allow-list, the enrolment. */
export function admission(config: CoordinatorConfig) {
  const identity = loadPrivateIdentity(config.privateKey);
  const allowList = loadAllowList(config, identity);
  return { identity, allowList, enrolment: newEnrolment(config, identity, allowList) };
}

/** Enrolment against `allowList`; sessions live in memory, enrolments are recorded. */
export function newEnrolment(config: CoordinatorConfig, identity: Identity, allowList: AllowList) {
  return new Enrolment(
    identity,
    allowList,
    (session) =>
      appendJsonLine(join(config.stateDir, 'enrolments.jsonl'), {
        at: new Date().toISOString(),
        client: session.identity.name,
        fingerprint: session.clientId,
      }),
    config.transport.sessionIdleSeconds * 1000,
  );
}
