/** What `fedflow train` does (its options: cli/commands/train.ts). */
import { type ModelInit, modelInitFromDir } from '../../client/pipeline/model-init.js';
import { type SiteTrainingResult, trainSiteModel } from '../../client/pipeline/train-site-model.js';
import { loadModelConfig } from '../../shared/config/model-config.js';
import { lineLog } from '../../shared/logging/logger.js';
import { describeComponentsInUse } from '../../shared/model/components-in-use.js';
import { checkModelDirTarget } from '../../shared/model/model-dir.js';
import { thresholdSetWarnings } from '../../shared/model/thresholds.js';
import type { FlowFileOptions } from '../flow-options.js';
import { readOptions, startBackend } from '../flow-setup.js';
import { processLogger } from '../logging.js';
import { rowsProgress } from '../progress/rows.js';
import { trainingProgress } from '../progress/training.js';

export interface TrainOptions extends FlowFileOptions {
  out: string;
  onlyLabel?: string;
  latent?: string;
  modelKind?: string;
  /** Already defaulted for fine-tuning by the command (cli/commands/train.ts). */
  epochs?: number;
  seed?: number;
  initFrom?: string;
}

export async function trainModel(options: TrainOptions): Promise<void> {
  checkModelDirTarget(options.out); // before any training, not after
  const init = startingModel(options);
  const config = loadModelConfig(options.config, {
    'model.latent': options.latent,
    'model.kind': options.modelKind,
    'training.epochs': options.epochs,
    'training.seed': options.seed,
    backend: options.backend,
  }).getProperties();
  if (
    config.model.kind === 'alad-gan' &&
    options.latent !== undefined &&
    options.latent !== 'gaussian'
  )
    throw new Error(
      `--latent ${options.latent} does not apply to --model-kind alad-gan: its latent is always Gaussian (model.latentDim)`,
    );
  if (config.model.kind === 'gru' && options.latent !== undefined)
    throw new Error(
      `--latent ${options.latent} does not apply to --model-kind gru: it has no latent (model.sequence sets its widths)`,
    );
  const backend = await startBackend(config.backend);
  const log = processLogger();
  const reading = rowsProgress('reading');
  const progress = trainingProgress(log);
  const result = await trainSiteModel(
    {
      files: options.data,
      format: options.format,
      onlyLabel: options.onlyLabel ?? null,
      read: await readOptions(options, config.input.maxBadShare, {
        onProgress: (s) => reading.update(s.rows),
      }),
      trafficFeatures: config.input.trafficFeatures,
      lastConnections: config.input.lastConnections,
    },
    config,
    options.out,
    backend,
    {
      ...progress,
      onDataReady(data) {
        reading.stop();
        const s = data.summary;
        log.info(
          `read ${s.rowsRead} rows (${s.badRows} malformed skipped), training on ${s.rowsUsed}: ${data.train.length} train / ${data.validation.length} validation / ${data.calibration.length} calibration; one-hot width ${data.encoder.width}`,
        );
        const history = data.train.history;
        if (history && !history.rows.some((row) => row >= 0))
          log.warn(
            'no flow has an earlier flow of the same source host (the files carry no source addresses?): the gru sees no history and models each flow alone',
          );
      },
    },
    init,
  ).finally(() => {
    reading.stop();
    progress.stop();
  });
  reportTraining(options, result);
  process.stdout.write(`${options.out}\n`);
}

/** What training did, logged: epochs, thresholds and their warnings, where it started from. */
function reportTraining(options: TrainOptions, result: SiteTrainingResult): void {
  const log = processLogger();
  const { training, thresholds } = result;
  const last = training.history.at(-1)!;
  log.info(
    `trained ${training.history.length} epochs (best ${training.bestEpoch}${training.stoppedEarly ? ', stopped early' : ''}), validation score ${last.validationLoss?.toFixed(3) ?? '-'} nats`,
  );
  if (result.componentsInUse) log.info(describeComponentsInUse(result.componentsInUse));
  for (const t of thresholds.targets)
    log.info(`threshold at FPR ${t.fpr}: ${t.threshold.toFixed(4)} nats`);
  for (const fpr of result.unresolvedTargets)
    log.warn(
      `${thresholds.calibrationFlows} calibration flows cannot resolve FPR ${fpr}; its threshold is their highest score`,
    );
  const warn = lineLog(log);
  for (const warning of thresholdSetWarnings(thresholds)) warn(warning);
  if (result.origin)
    log.info(`fine-tuned from ${options.initFrom} (weights sha256 ${result.origin.sha256})`);
}

/** The model to fine-tune, loaded and verified before any flow is read; none without --init-from. */
function startingModel(options: TrainOptions): ModelInit | undefined {
  if (options.initFrom === undefined) return undefined;
  if (options.latent !== undefined)
    throw new Error('--latent cannot be combined with --init-from: the model fixes the latent');
  if (options.modelKind !== undefined)
    throw new Error('--model-kind cannot be combined with --init-from: the model fixes its kind');
  return modelInitFromDir(options.initFrom);
}
