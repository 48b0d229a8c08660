/**
 * `fedflow calibrate`: re-place a model's thresholds on a site's own recent normal flows,
 * without retraining, into a new model directory that records where they came from.
 */
import type { Command } from 'commander';
import type { CalibrateOptions } from '../actions/calibrate.js';
import { addFlowOptions } from '../flow-options.js';

export function registerCalibrate(program: Command): void {
  addFlowOptions(
    program
      .command('calibrate')
      .description(
        "re-place a model's thresholds on this site's own recent normal flows (no retraining) and save the model with them to a new directory",
      ),
  )
    .requiredOption('--model <dir>', 'model directory whose thresholds to re-place')
    .requiredOption('--out <dir>', 'model directory to write (the same spec and weights)')
    .option(
      '--only-label <label>',
      "use only rows with this label (e.g. 'normal', for labelled files); otherwise every row counts as normal",
    )
    .action(async (options: CalibrateOptions) =>
      (await import('../actions/calibrate.js')).calibrateThresholds(options),
    );
}
