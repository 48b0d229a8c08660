/**
 * `fedflow client`: a site joins the federation, trains on its own flows in rounds, and
 * saves the final global model (with the shared thresholds) as a model directory; optionally
 * fine-tunes it on its own flows into a personalised one beside it (cli/roles/site.ts). With
 * --stay it then takes part in the coordinator's later federation jobs too.
 */
import type { Command } from 'commander';
import type { ClientOptions } from '../actions/client.js';

export function registerClient(program: Command): void {
  program
    .command('client')
    .description('join a federation as a site (see config/client.example.json)')
    .option('--config <file>', 'client settings (JSON)')
    .option('--coordinator <host:port>', 'coordinator address (overrides coordinator.address)')
    .option(
      '--stay',
      "after each federation job, wait for the coordinator's next one and take part in it too (reading the flow files afresh), until SIGINT or SIGTERM",
    )
    .option('--poll-seconds <n>', 'with --stay: how often to ask whether a job runs', Number, 30)
    .action(async (options: ClientOptions) =>
      (await import('../actions/client.js')).joinFederation(options),
    );
}
