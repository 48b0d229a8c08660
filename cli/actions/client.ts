/** What `fedflow client` does (its options: cli/commands/client.ts). */
import { loadClientConfig } from '../../shared/config/federation-config.js';
import { createLogger } from '../../shared/logging/logger.js';
import { startBackend } from '../flow-setup.js';
import { runSite } from '../roles/site.js';

export interface ClientOptions {
  config?: string;
  coordinator?: string;
}

export async function joinFederation(options: ClientOptions): Promise<void> {
  const config = loadClientConfig(options.config, {
    'coordinator.address': options.coordinator,
  });
  const backend = await startBackend(config.backend);
  const logger = createLogger({ role: 'client', site: config.name });
  // Each saved model directory on its own line, for scripts.
  await runSite(config, backend, logger, (dir) => process.stdout.write(`${dir}\n`));
}
