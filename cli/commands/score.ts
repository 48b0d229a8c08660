/** `fedflow score`: score flow files with a model, one JSON line per input row, in order. */
import { type Command, Option } from 'commander';
import { ALERT_OUTPUTS } from '../../client/detect/alert-lines.js';
import type { ScoreOptions } from '../actions/score.js';
import { addFlowOptions } from '../flow-options.js';

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
    .option(
      '--follow',
      'keep scoring one log as it grows and is rotated (renamed or truncated), until SIGTERM or Ctrl-C; --out FILE is appended to',
    )
    .option(
      '--state <file>',
      'with --follow: save the position after each written batch, and resume from it on restart',
    )
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
      // Started first, so the worker loads its modules while this thread loads the model's
      // (~0.1 s sooner to the first row). --follow starts a worker per file it follows.
      const { StartedEncodeWorker } = await import('../../client/detect/encoded-batches.js');
      const encodeWorker = options.follow ? undefined : new StartedEncodeWorker();
      await (await import('../actions/score.js')).scoreFlows(options, encodeWorker);
    });
}
