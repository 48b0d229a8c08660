/** Builds the `fedflow` command tree. */
import { Command } from 'commander';
import { registerAdmin } from './commands/admin.js';
import { registerAudit } from './commands/audit.js';
import { registerCalibrate } from './commands/calibrate.js';
import { registerCerts } from './commands/certs.js';
import { registerClient } from './commands/client.js';
import { registerCoordinator } from './commands/coordinator.js';
import { registerEvaluate } from './commands/evaluate.js';
import { registerKeys } from './commands/keys.js';
import { registerProvision } from './commands/provision.js';
import { registerScore } from './commands/score.js';
import { registerSimulate } from './commands/simulate.js';
import { registerStatus } from './commands/status.js';
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
  registerCalibrate(program);
  registerKeys(program);
  registerCerts(program);
  registerProvision(program);
  registerCoordinator(program);
  registerAdmin(program);
  registerClient(program);
  registerSimulate(program);
  registerAudit(program);
  registerStatus(program);
  return program;
}
