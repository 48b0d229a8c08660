/** Builds the `fedflow` command tree (a fresh one per call, so commands can run commands). */
import { Command } from 'commander';
import { registerDemo } from './commands/demo.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerKeys } from './commands/keys.js';
import { registerScore } from './commands/score.js';
import { registerSynth } from './commands/synth.js';
import { registerTrain } from './commands/train.js';

export function buildProgram(): Command {
  const program = new Command('fedflow')
    .description('Federated anomaly detection for network flows with a categorical VAE')
    .version('0.1.0')
    .showHelpAfterError();
  registerSynth(program);
  registerTrain(program);
  registerScore(program);
  registerEvaluate(program);
  registerKeys(program);
  registerDemo(program, (args) =>
    buildProgram()
      .parseAsync(args, { from: 'user' })
      .then(() => undefined),
  );
  return program;
}
