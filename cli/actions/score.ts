/** What `fedflow score` does (its options: cli/commands/score.ts). */
import type { AlertOutput } from '../../client/detect/alert-lines.js';
import type { StartedEncodeWorker } from '../../client/detect/encoded-batches.js';
import { openModel } from '../../client/detect/loaded-model.js';
import { writeAlertLines } from '../../client/detect/write-alerts.js';
import { loadModelConfig } from '../../shared/config/model-config.js';
import { isStdin } from '../../shared/flows/file-bytes.js';
import { ALERT_LINES, checkOutputFile } from '../../shared/fs/output-file.js';
import { lineLog } from '../../shared/logging/logger.js';
import { scoreForThresholds, thresholdSetWarnings } from '../../shared/model/thresholds.js';
import type { FlowFileOptions } from '../flow-options.js';
import { readOptions, startBackend } from '../flow-setup.js';
import { processLogger } from '../logging.js';
import { rowsProgress } from '../progress/rows.js';

export interface ScoreOptions extends FlowFileOptions {
  metricsFile?: string;
  model: string;
  out: string;
  importanceSamples?: number;
  alertsOnly?: boolean;
  follow?: boolean;
  state?: string;
  output: AlertOutput;
}

/**
 * The command: the model, the flows (or a followed log), the alert lines, a summary. The
 * encode worker, when started ahead (not for --follow: each pass starts its own), reads
 * the files.
 */
export async function scoreFlows(
  options: ScoreOptions,
  encodeWorker?: StartedEncodeWorker,
): Promise<void> {
  checkFollowOptions(options);
  if (options.out !== '-') checkOutputFile(options.out, ALERT_LINES);
  const config = loadModelConfig(options.config, {
    backend: options.backend,
    'scoring.importanceSamples': options.importanceSamples,
  }).getProperties();
  await startBackend(config.backend);
  const loaded = openModel(options.model);
  // Unless asked for another, score as the thresholds were placed; asked, refuse a mismatch.
  const importanceSamples = scoreForThresholds(
    loaded.saved.thresholds,
    options.importanceSamples,
    config.scoring.importanceSamples,
    options.model,
  );
  const log = processLogger();
  for (const warning of thresholdSetWarnings(loaded.saved.thresholds)) lineLog(log)(warning);
  const stop = stopOnSignals();
  const read = await readOptions(options, config.input.maxBadShare);
  const scoring = {
    importanceSamples,
    seed: 1,
    topFields: config.scoring.topFields,
    alertsOnly: options.alertsOnly ?? false,
    output: options.output,
    stop: stop.signal,
  };
  const summary = options.follow
    ? await (await import('../../client/detect/follow-alerts.js')).followAlertLines(
        loaded,
        options.data[0]!,
        options.format,
        read,
        scoring,
        options.out,
        options.state ?? null,
        lineLog(log),
      )
    : await scoreFiles(options, loaded, read, { ...scoring, encodeWorker });
  stop.release();
  loaded.model.dispose();
  if (options.metricsFile) {
    // Loaded only when asked for: prom-client brings 80 modules to start-up.
    const { SiteMetrics } = await import('../../client/metrics/site-metrics.js');
    const metrics = new SiteMetrics();
    metrics.flowsScored.inc(summary.rowsScored);
    metrics.alerts.inc(summary.alerts);
    await metrics.writeTextfile(options.metricsFile);
  }
  const { rowsScored, badRows, seconds, alerts } = summary;
  log.info(
    `${stop.signal.aborted ? `stopped on ${stop.signal.reason}: ` : ''}scored ${rowsScored} flows (${badRows} malformed skipped) in ${seconds.toFixed(2)} s, ${Math.round(rowsScored / seconds)} flows/s; ${alerts} crossed a threshold`,
  );
}

/**
 * Scores the files once (not --follow), with a bar of the rows scored on a terminal, unless
 * the alert lines go to that terminal too.
 */
async function scoreFiles(
  options: ScoreOptions,
  loaded: ReturnType<typeof openModel>,
  read: Awaited<ReturnType<typeof readOptions>>,
  scoring: Parameters<typeof writeAlertLines>[4],
) {
  const linesOnTerminal = options.out === '-' && process.stdout.isTTY;
  const progress = linesOnTerminal ? { update() {}, stop() {} } : rowsProgress('scoring');
  return writeAlertLines(
    loaded,
    options.data,
    options.format,
    read,
    { ...scoring, onScored: progress.update },
    options.out,
  ).finally(() => progress.stop());
}

/**
 * SIGTERM or SIGINT (Ctrl-C) while scoring: score and write what has been read, then end
 * normally, rather than die with a line half written; a second signal kills as usual.
 */
function stopOnSignals(): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    processLogger().info(`${signal}: scoring what has been read, then stopping`);
    controller.abort(signal);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    },
  };
}

/** --follow reads one growing log file, and --state only makes sense with it. */
function checkFollowOptions(options: ScoreOptions): void {
  if (options.state !== undefined && !options.follow)
    throw new Error('--state saves where --follow got to: give --follow too');
  if (!options.follow) return;
  if (options.data.length !== 1 || isStdin(options.data[0]!))
    throw new Error('--follow follows one log file: give exactly one --data FILE (not -)');
}
