/** `fedflow train`: train a model on one site's flows and save a model directory. */
import type { Command } from 'commander';
import { trainSiteModel } from '../../../client/pipeline/train-site-model.js';
import { loadModelConfig } from '../../config/model-config.js';
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
}

export function registerTrain(program: Command): void {
  addFlowOptions(
    program
      .command('train')
      .description(
        'train a categorical VAE on local flow records and save it as a model directory',
      ),
  )
    .requiredOption('--out <dir>', 'model directory to write')
    .option(
      '--only-label <label>',
      "train only on rows with this label (e.g. 'normal'); labels are never used otherwise",
    )
    .option('--latent <kind>', 'latent kind: gaussian or mixture')
    .option('--epochs <n>', 'most epochs', Number)
    .option('--seed <n>', 'random seed', Number)
    .action(async (options: TrainOptions) => {
      const config = loadModelConfig(options.config, {
        'model.latent': options.latent,
        'training.epochs': options.epochs,
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
      process.stdout.write(`${options.out}\n`);
    });
}
