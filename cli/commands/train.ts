/**
 * `fedflow train`: train a model on one site's flows and save a model directory; with
 * --init-from, fine-tune an existing model (e.g. the federation's) on them instead.
 */
import type { Command } from 'commander';
import { type ModelInit, modelInitFromDir } from '../../client/pipeline/model-init.js';
import { trainSiteModel } from '../../client/pipeline/train-site-model.js';
import { loadModelConfig } from '../../shared/config/model-config.js';
import { checkModelDirTarget } from '../../shared/model/model-dir.js';
import { thresholdSetWarnings } from '../../shared/model/thresholds.js';
import {
  addFlowOptions,
  type FlowFileOptions,
  readOptions,
  startBackend,
} from '../flow-options.js';
import { trainingProgress } from '../progress.js';

interface TrainOptions extends FlowFileOptions {
  out: string;
  onlyLabel?: string;
  latent?: string;
  epochs?: number;
  seed?: number;
  initFrom?: string;
}

/** Fine-tuning continues a trained model: a few epochs, unless --epochs says otherwise. */
const FINE_TUNING_EPOCHS = 5;

export function registerTrain(program: Command): void {
  addFlowOptions(
    program
      .command('train')
      .description(
        'train a categorical VAE on local flow records (from scratch, or fine-tuning a model with --init-from) and save it as a model directory',
      ),
  )
    .requiredOption('--out <dir>', 'model directory to write')
    .option(
      '--only-label <label>',
      "train only on rows with this label (e.g. 'normal'); labels are never used otherwise",
    )
    .option('--latent <kind>', 'latent kind: gaussian or mixture')
    .option(
      '--init-from <model-dir>',
      "fine-tune this model (e.g. a federation's global model) on the data instead of training from scratch: its encoder and architecture are kept, thresholds are re-placed on this data's calibration split, and the new directory records where it came from",
    )
    .option(
      '--epochs <n>',
      `most epochs (with --init-from: ${FINE_TUNING_EPOCHS} unless given)`,
      Number,
    )
    .option('--seed <n>', 'random seed', Number)
    .action(async (options: TrainOptions) => {
      checkModelDirTarget(options.out); // before any training, not after
      const init = startingModel(options);
      const config = loadModelConfig(options.config, {
        'model.latent': options.latent,
        'training.epochs': options.epochs ?? (init ? FINE_TUNING_EPOCHS : undefined),
        'training.seed': options.seed,
        backend: options.backend,
      }).getProperties();
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
          },
        },
        init,
      ).finally(() => progress.stop());
      const { training, thresholds } = result;
      const last = training.history.at(-1)!;
      process.stderr.write(
        `trained ${training.history.length} epochs (best ${training.bestEpoch}${training.stoppedEarly ? ', stopped early' : ''}), validation score ${last.validationLoss?.toFixed(3) ?? '-'} nats\n`,
      );
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
    });
}

/** The model to fine-tune, loaded and verified before any flow is read; none without --init-from. */
function startingModel(options: TrainOptions): ModelInit | undefined {
  if (options.initFrom === undefined) return undefined;
  if (options.latent !== undefined)
    throw new Error('--latent cannot be combined with --init-from: the model fixes the latent');
  return modelInitFromDir(options.initFrom);
}
