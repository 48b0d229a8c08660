/** `fedflow status`: the dashboard's view of a running coordinator, in the terminal. */
import type { Command } from 'commander';
import type { StatusOptions } from '../actions/status.js';

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description(
      "print a running coordinator's state (sites, rounds, model, audit) from its dashboard endpoint",
    )
    .requiredOption(
      '--coordinator <host:port>',
      'the dashboard address (dashboard.host:dashboard.port)',
    )
    .option('--token <token>', 'dashboard token (or FEDFLOW_DASHBOARD_TOKEN)')
    .option('--json', 'print the raw status JSON')
    .action(async (options: StatusOptions) =>
      (await import('../actions/status.js')).printStatus(options),
    );
}
