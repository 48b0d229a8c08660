/** `fedflow evaluate`: detection quality of a model on labelled flows (table, JSON, ROC image). */
import type { Command } from 'commander';
import type { EvaluateOptions } from '../actions/evaluate.js';
import { addFlowOptions } from '../flow-options.js';

export function registerEvaluate(program: Command): void {
  addFlowOptions(
    program
      .command('evaluate')
      .description(
        'measure detection quality on labelled flows: AUROC, AUPRC, TPR/FPR at each threshold, recall per attack category',
      ),
  )
    .requiredOption('--model <dir>', 'model directory')
    .option('--json <file>', 'also write the report as JSON')
    .option('--roc <file.svg>', 'write the ROC curve as an SVG image')
    .action(async (options: EvaluateOptions) =>
      (await import('../actions/evaluate.js')).evaluateModel(options),
    );
}
