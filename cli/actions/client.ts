/** What `fedflow client` does (its options: cli/commands/client.ts). */
import { loadClientConfig } from '../../shared/config/federation-config.js';
import { startBackend } from '../flow-setup.js';
import { processLogger } from '../logging.js';
import { runSite } from '../roles/site.js';

export interface ClientOptions {
  config?: string;
  coordinator?: string;
  stay?: boolean;
  pollSeconds?: number;
}

export async function joinFederation(options: ClientOptions): Promise<void> {
  const config = loadClientConfig(options.config, {
    'coordinator.address': options.coordinator,
  });
  const logger = processLogger().child({ role: 'client', site: config.name });
  const backend = await startBackend(config.backend, logger);
  // Each saved model directory on its own line, for scripts.
  const stay = options.stay ? { pollMs: (options.pollSeconds ?? 30) * 1000 } : null;
  await runSite(config, backend, logger, (dir) => process.stdout.write(`${dir}\n`), stay);
}
