/** Builds the `fedflow` command tree. */
import { Command, Option } from 'commander';
import { LOG_LEVELS, readableLogs } from '../shared/logging/log-settings.js';
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
    // The options after a usage error, for a person; a JSON log consumer gets the error alone.
    .showHelpAfterError(readableLogs())
    // Usage errors end in the catch of fedflow.ts, logged like every other error.
    .exitOverride()
    .configureOutput({ outputError: () => {} });
  addLogOptions(program);
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

/** --log-level and --quiet, which every command takes (before or after its name). */
function addLogOptions(program: Command): void {
  program
    .addOption(
      new Option(
        '--log-level <level>',
        'log this level and above (default: FEDFLOW_LOG_LEVEL or info)',
      ).choices(LOG_LEVELS),
    )
    .addOption(
      new Option('--quiet', 'log warnings and errors only, and draw no progress bars').conflicts(
        'logLevel',
      ),
    )
    .hook('preAction', async (command) => {
      // Loaded here, not at start-up: help and usage errors need no logger.
      const { setupLogging } = await import('./logging.js');
      setupLogging(command.opts());
    });
}
