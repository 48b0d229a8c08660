/**
 * `fedflow client`: a site joins the federation, trains on its own flows in rounds, and
 * saves the final global model (with the shared thresholds) as a model directory; optionally
 * fine-tunes it on its own flows into a personalised one beside it (cli/roles/site.ts).
 */
import type { Command } from 'commander';
import { loadClientConfig } from '../../shared/config/federation-config.js';
import { createLogger } from '../../shared/logging/logger.js';
import { startBackend } from '../flow-options.js';
import { runSite } from '../roles/site.js';

interface ClientOptions {
  config?: string;
  coordinator?: string;
}

export function registerClient(program: Command): void {
  program
    .command('client')
    .description('join a federation as a site (see config/client.example.json)')
    .option('--config <file>', 'client settings (JSON)')
    .option('--coordinator <host:port>', 'coordinator address (overrides coordinator.address)')
    .action(async (options: ClientOptions) => {
      const config = loadClientConfig(options.config, {
        'coordinator.address': options.coordinator,
      });
      const backend = await startBackend(config.backend);
      const logger = createLogger({ role: 'client', site: config.name });
      // Each saved model directory on its own line, for scripts.
      await runSite(config, backend, logger, (dir) => process.stdout.write(`${dir}\n`));
    });
}
