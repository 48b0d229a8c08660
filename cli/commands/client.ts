/**
 * `fedflow client`: a site joins the federation, trains on its own flows in rounds, and
 * saves the final global model (with the shared thresholds) as a model directory; optionally
 * fine-tunes it on its own flows into a personalised one beside it (cli/roles/site.ts).
 */
import type { Command } from 'commander';
import type { ClientOptions } from '../actions/client.js';

export function registerClient(program: Command): void {
  program
    .command('client')
    .description('join a federation as a site (see config/client.example.json)')
    .option('--config <file>', 'client settings (JSON)')
    .option('--coordinator <host:port>', 'coordinator address (overrides coordinator.address)')
    .action(async (options: ClientOptions) =>
      (await import('../actions/client.js')).joinFederation(options),
    );
}
