/**
 * `fedflow train`: train a model on one site's flows and save a model directory; with
 * --init-from, fine-tune an existing model (e.g. the federation's) on them instead.
 */
import type { Command } from 'commander';
import type { TrainOptions } from '../actions/train.js';
import { addFlowOptions } from '../flow-options.js';

/** Fine-tuning continues a trained model: a few epochs, unless --epochs says otherwise. */
const FINE_TUNING_EPOCHS = 5;

export function registerTrain(program: Command): void {
  addFlowOptions(
    program
      .command('train')
      .description(
        'train a detector model (a categorical VAE unless --model-kind says otherwise) on local flow records (from scratch, or fine-tuning a model with --init-from) and save it as a model directory',
      ),
  )
    .requiredOption('--out <dir>', 'model directory to write')
    .option(
      '--only-label <label>',
      "train only on rows with this label (e.g. 'normal'); labels are never used otherwise",
    )
    .option('--latent <kind>', 'latent kind: gaussian, mixture or stick-breaking')
    .option(
      '--model-kind <kind>',
      "detector model kind: categorical-vae (default), alad-gan (a GAN baseline) or gru (a sequence model over each source host's flows); docs/model.md",
    )
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
      const { trainModel } = await import('../actions/train.js');
      const fineTuning = options.initFrom !== undefined;
      await trainModel({
        ...options,
        epochs: options.epochs ?? (fineTuning ? FINE_TUNING_EPOCHS : undefined),
      });
    });
}
