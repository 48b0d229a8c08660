/** `fedflow score`: score flow files with a model, one JSON line per input row, in order. */
import { type Command, Option } from 'commander';
import { ALERT_OUTPUTS, type AlertOutput } from '../../client/detect/alert-lines.js';
import { openModel } from '../../client/detect/loaded-model.js';
import { writeAlertLines } from '../../client/detect/write-alerts.js';
import { SiteMetrics } from '../../client/metrics/site-metrics.js';
import { loadModelConfig } from '../../shared/config/model-config.js';
import { ALERT_LINES, checkOutputFile } from '../../shared/fs/output-file.js';
import { scoreForThresholds, thresholdSetWarnings } from '../../shared/model/thresholds.js';
import {
  addFlowOptions,
  type FlowFileOptions,
  readOptions,
  startBackend,
} from '../flow-options.js';

interface ScoreOptions extends FlowFileOptions {
  metricsFile?: string;
  model: string;
  out: string;
  importanceSamples?: number;
  alertsOnly?: boolean;
  output: AlertOutput;
}

export function registerScore(program: Command): void {
  addFlowOptions(
    program
      .command('score')
      .description(
        'score flows with a model: one JSON line per row with score, thresholds crossed and the fields that explain it',
      ),
  )
    .requiredOption('--model <dir>', 'model directory')
    .requiredOption('--out <file>', "JSON-lines output ('-' for stdout)")
    .option(
      '--metrics-file <file>',
      'also write Prometheus metrics (flows scored, alerts) as a node_exporter textfile',
    )
    .option('--alerts-only', 'write only the flows that cross a threshold')
    .addOption(
      new Option(
        '--output <form>',
        "line form: fedflow's own, or Elastic Common Schema documents a SIEM ingests as they are (docs/siem.md)",
      )
        .choices([...ALERT_OUTPUTS])
        .default('fedflow'),
    )
    .option(
      '--importance-samples <k>',
      'score with an importance-weighted bound of K samples',
      Number,
    )
    .action(async (options: ScoreOptions) => {
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
      for (const warning of thresholdSetWarnings(loaded.saved.thresholds))
        process.stderr.write(`${warning}\n`);
      const stop = stopOnSignals();
      const summary = await writeAlertLines(
        loaded,
        options.data,
        options.format,
        await readOptions(options, config.input.maxBadShare),
        {
          importanceSamples,
          seed: 1,
          topFields: config.scoring.topFields,
          alertsOnly: options.alertsOnly ?? false,
          output: options.output,
          stop: stop.signal,
        },
        options.out,
      );
      stop.release();
      loaded.model.dispose();
      if (options.metricsFile) {
        const metrics = new SiteMetrics();
        metrics.flowsScored.inc(summary.rowsScored);
        metrics.alerts.inc(summary.alerts);
        await metrics.writeTextfile(options.metricsFile);
      }
      process.stderr.write(
        `${stop.signal.aborted ? `stopped on ${stop.signal.reason}: ` : ''}scored ${summary.rowsScored} flows (${summary.badRows} malformed skipped) in ${summary.seconds.toFixed(2)} s, ${Math.round(summary.rowsScored / summary.seconds)} flows/s; ${summary.alerts} crossed a threshold\n`,
      );
    });
}

/**
 * SIGTERM or SIGINT (Ctrl-C) while scoring: score and write what has been read, then end
 * normally, rather than die with a line half written; a second signal kills as usual.
 */
function stopOnSignals(): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`${signal}: scoring what has been read, then stopping\n`);
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
