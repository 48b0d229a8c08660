/** What `fedflow train` does (its options: cli/commands/train.ts). */
import { type ModelInit, modelInitFromDir } from '../../client/pipeline/model-init.js';
import { trainSiteModel } from '../../client/pipeline/train-site-model.js';
import { loadModelConfig } from '../../shared/config/model-config.js';
import { describeComponentsInUse } from '../../shared/model/components-in-use.js';
import { checkModelDirTarget } from '../../shared/model/model-dir.js';
import { thresholdSetWarnings } from '../../shared/model/thresholds.js';
import type { FlowFileOptions } from '../flow-options.js';
import { readOptions, startBackend } from '../flow-setup.js';
import { trainingProgress } from '../progress.js';

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
  const progress = trainingProgress();
  const result = await trainSiteModel(
    {
      files: options.data,
      format: options.format,
      onlyLabel: options.onlyLabel ?? null,
      read: await readOptions(options, config.input.maxBadShare),
      trafficFeatures: config.input.trafficFeatures,
      lastConnections: config.input.lastConnections,
    },
    config,
    options.out,
    backend,
    {
      ...progress,
      onDataReady(data) {
        const s = data.summary;
        process.stderr.write(
          `read ${s.rowsRead} rows (${s.badRows} malformed skipped), training on ${s.rowsUsed}: ${data.train.length} train / ${data.validation.length} validation / ${data.calibration.length} calibration; one-hot width ${data.encoder.width}\n`,
        );
        const history = data.train.history;
        if (history && !history.rows.some((row) => row >= 0))
          process.stderr.write(
            'warning: no flow has an earlier flow of the same source host (the files carry no source addresses?): the gru sees no history and models each flow alone\n',
          );
      },
    },
    init,
  ).finally(() => progress.stop());
  const { training, thresholds } = result;
  const last = training.history.at(-1)!;
  process.stderr.write(
    `trained ${training.history.length} epochs (best ${training.bestEpoch}${training.stoppedEarly ? ', stopped early' : ''}), validation score ${last.validationLoss?.toFixed(3) ?? '-'} nats\n`,
  );
  if (result.componentsInUse)
    process.stderr.write(`${describeComponentsInUse(result.componentsInUse)}\n`);
  for (const t of thresholds.targets)
    process.stderr.write(`threshold at FPR ${t.fpr}: ${t.threshold.toFixed(4)} nats\n`);
  for (const fpr of result.unresolvedTargets) {
    process.stderr.write(
      `warning: ${thresholds.calibrationFlows} calibration flows cannot resolve FPR ${fpr}; its threshold is their highest score\n`,
    );
  }
  for (const warning of thresholdSetWarnings(thresholds)) process.stderr.write(`${warning}\n`);
  if (result.origin)
    process.stderr.write(
      `fine-tuned from ${options.initFrom} (weights sha256 ${result.origin.sha256})\n`,
    );
  process.stdout.write(`${options.out}\n`);
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
