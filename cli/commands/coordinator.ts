/**
 * `fedflow coordinator`: runs the coordinator until its federation jobs are complete (job 1
 * from its config, then each one `fedflow admin job start` requested). Human-readable
 * logs go to stderr; one JSON event per line on stdout (listening, round, done) for tools.
 */
import type { Command } from 'commander';
import type { CoordinatorOptions } from '../actions/coordinator.js';

export function registerCoordinator(program: Command): void {
  program
    .command('coordinator')
    .description('run the federation coordinator (see config/coordinator.example.json)')
    .option('--config <file>', 'coordinator settings (JSON)')
    .option('--port <n>', 'listen port (overrides listen.port; 0 = any free port)', Number)
    .option('--state-dir <dir>', 'state directory (overrides stateDir)')
    .option(
      '--stay',
      'once the jobs are complete, keep serving (the dashboard, status, the final model) and run each job requested later, until SIGINT or SIGTERM',
    )
    .action(async (options: CoordinatorOptions) =>
      (await import('../actions/coordinator.js')).runCoordinator(options),
    );
}
