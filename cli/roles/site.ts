/**
 * The wiring of a site: its data selection, worker, identity, egress log, connection and
 * metrics, from its config; then it takes part until the federation job ends, saves the final
 * global model and, if configured, a personalised one beside it; with --stay, job after job.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { participate } from '../../client/agent/participation.js';
import { SiteWorker } from '../../client/agent/site-worker.js';
import { SiteMetrics } from '../../client/metrics/site-metrics.js';
import { personaliseGlobalModel } from '../../client/pipeline/personalise.js';
import type { EpochReport, TrainingHooks } from '../../client/trainer/training-hooks.js';
import { CoordinatorConnection } from '../../client/transport/coordinator-connection.js';
import { AuditLogWriter } from '../../shared/audit/audit-log-writer.js';
import type { ClientConfig } from '../../shared/config/federation-config.js';
import { fingerprint, type Identity } from '../../shared/crypto/identity.js';
import { loadPrivateIdentity, loadPublicIdentity } from '../../shared/crypto/key-files.js';
import type { GlobalModel } from '../../shared/federation/global-model.js';
import { parseFlowFormat } from '../../shared/flows/formats.js';
import type { FlowSelection } from '../../shared/flows/pipeline.js';
import { lineLog } from '../../shared/logging/logger.js';
import { saveModelDir, weightsSha256 } from '../../shared/model/model-dir.js';
import type { BackendReport } from '../../shared/runtime/backend.js';
import { loadClientCredentials, tlsChannelOptions } from '../../shared/tls/credentials.js';
import { readOptions } from '../flow-setup.js';
import { trainingProgress } from '../progress/training.js';

type Log = (line: string, fields?: Record<string, unknown>) => void;

/** How a site that stays up after a federation job waits for the next (`fedflow client --stay`). */
export interface StayOptions {
  /** How often to ask the coordinator whether a job runs, between jobs. */
  readonly pollMs: number;
}

/**
 * Runs a site to the end of its federation job; `onSaved` hears of each model directory
 * saved. With `stay`, it then waits for the coordinator's next job and takes part in it too,
 * reading its flow files afresh, until stopped (SIGINT or SIGTERM).
 */
export async function runSite(
  config: ClientConfig,
  backend: BackendReport,
  logger: Logger,
  onSaved: (dir: string) => void,
  stay: StayOptions | null = null,
): Promise<void> {
  const log: Log = lineLog(logger);
  if (config.data.files.length === 0)
    throw new Error('data.files: list the flow files this site trains on');
  const metrics = new SiteMetrics();
  const metricsServer = config.metrics.port >= 0 ? await metrics.serve(config.metrics.port) : null;
  if (metricsServer)
    logger.info({ port: metricsServer.port }, 'metrics on http://127.0.0.1:PORT/metrics');
  const bar = trainingProgress(logger);
  // A bar while training on a terminal; one line per epoch in logs.
  const progress = {
    ...bar,
    onEpoch: (r: EpochReport) => {
      metrics.trainingSeconds.inc(r.seconds);
      metrics.flowsTrained.inc(Math.round(r.flowsPerSecond * r.seconds));
      bar.onEpoch?.(r);
    },
  };
  const identity = loadPrivateIdentity(config.privateKey);
  const connection = connect(config, identity, log);
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  process.once('SIGTERM', () => abort.abort());
  try {
    for (;;) {
      // Read afresh for each job: a later one retrains on the traffic the files hold now.
      const selection = await dataSelection(config, logger);
      const worker = siteWorkerOf(config, identity, selection, progress);
      const model = await participate({
        onSubmitted: (task, bytes) => {
          metrics.tasks.inc({ kind: task.kind });
          metrics.bytesSent.inc(bytes);
          metrics.modelVersion.set(task.modelVersion);
        },
        connection,
        worker,
        reconnect: config.reconnect,
        log,
        signal: abort.signal,
      }).finally(() => worker.dispose());
      // Between jobs a staying site hears the last job is over before it had a task: no model.
      if (model) await keepFinalModel(config, model, selection, backend, logger, onSaved);
      else if (!stay) throw new Error('the federation ended before this site received a model');
      if (!stay || abort.signal.aborted) return;
      if (model) log("waiting for the coordinator's next federation job (--stay)");
      // Rejects when stopped, which the check below turns into a normal end.
      await sleep(stay.pollMs, undefined, { signal: abort.signal }).catch(() => {});
      if (abort.signal.aborted) return;
    }
  } finally {
    // Nothing may keep the process alive once the site is done, or has failed.
    progress.stop();
    connection.close();
    metricsServer?.server.close();
  }
}

/** Saves the final global model and, when configured, a personalised one beside it. */
async function keepFinalModel(
  config: ClientConfig,
  model: GlobalModel,
  selection: FlowSelection,
  backend: BackendReport,
  logger: Logger,
  onSaved: (dir: string) => void,
): Promise<void> {
  const dir = saveFinalModel(config, model);
  logger.info({ version: model.version, dir }, 'final global model saved');
  onSaved(dir);
  if (config.personalise.epochs === 0) return;
  // The site's own variant of the final model, beside it; the global model stays as is.
  const tunedDir = join(config.stateDir, 'model-personalised');
  const settings = { selection, training: config.training, epochs: config.personalise.epochs };
  const tuningBar = trainingProgress(logger);
  const tuned = await personaliseGlobalModel(
    model,
    dir,
    settings,
    tunedDir,
    backend,
    tuningBar,
  ).finally(() => tuningBar.stop());
  logger.info(
    { from: dir, dir: tunedDir, epochs: tuned.training.history.length },
    'personalised model saved: the global model fine-tuned on local flows, thresholds re-placed on them',
  );
  onSaved(tunedDir);
}

/** The site's worker: its data, splits and seed from its config, its id from its key. */
function siteWorkerOf(
  config: ClientConfig,
  identity: Identity,
  selection: FlowSelection,
  hooks: TrainingHooks,
): SiteWorker {
  const { validationShare, calibrationShare, seed } = config.training;
  return new SiteWorker({
    // The coordinator knows a site by its key's fingerprint (secure aggregation's rosters too).
    id: fingerprint(identity.signPublicKey),
    selection,
    shares: { validation: validationShare, calibration: calibrationShare, seed },
    seed,
    hooks,
  });
}

/** The site's flow files and how to read them. */
async function dataSelection(config: ClientConfig, log: Logger): Promise<FlowSelection> {
  const format = parseFlowFormat(config.data.format);
  return {
    files: config.data.files,
    format,
    onlyLabel: config.data.onlyLabel || null,
    read: await readOptions(
      { data: config.data.files, format, csvSchema: config.data.csvSchema || undefined },
      config.input.maxBadShare,
      { log },
    ),
    trafficFeatures: config.input.trafficFeatures,
    lastConnections: config.input.lastConnections,
  };
}

/** The connection to the coordinator, over TLS unless turned off, logging what leaves. */
function connect(config: ClientConfig, identity: Identity, log: Log): CoordinatorConnection {
  const tls = config.tls.enabled
    ? loadClientCredentials({
        ca: config.tls.ca || undefined,
        cert: config.tls.cert || undefined,
        key: config.tls.key || undefined,
      }).credentials
    : undefined;
  if (!tls)
    log('warning: TLS is off (tls.enabled=false): connections are plaintext; use only on loopback');
  const egress = AuditLogWriter.open(
    join(config.stateDir, 'audit', 'egress.jsonl'),
    identity,
    'egress',
    { keepPlaintext: config.audit.keepPlaintext },
  );
  if (egress.quarantined)
    log(
      `warning: the egress log's last line was cut off (a crash mid write); moved to ${egress.quarantined} and noted in the log`,
    );
  return new CoordinatorConnection(
    config.coordinator.address,
    identity,
    loadPublicIdentity(config.coordinator.publicKey),
    {
      credentials: tls,
      channelOptions: tlsChannelOptions(config.tls.serverName || undefined),
      egress,
    },
  );
}

/** The final global model, with the shared thresholds, as STATE_DIR/model. */
function saveFinalModel(config: ClientConfig, model: GlobalModel): string {
  if (!model.thresholds)
    throw new Error(`the final model v${model.version} came without shared thresholds`);
  const dir = join(config.stateDir, 'model');
  saveModelDir(dir, {
    spec: model.spec,
    weights: model.weights,
    thresholds: model.thresholds,
    metadata: {
      createdBy: 'fedflow client',
      site: config.name,
      version: model.version,
      sha256: weightsSha256(model.weights),
    },
  });
  return dir;
}
