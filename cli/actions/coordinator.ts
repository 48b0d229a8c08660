/** What `fedflow coordinator` does (its options: cli/commands/coordinator.ts). */
import { loadCoordinatorConfig } from '../../shared/config/federation-config.js';
import { lineLog } from '../../shared/logging/logger.js';
import { startBackend } from '../flow-setup.js';
import { processLogger } from '../logging.js';
import { startCoordinator } from '../roles/coordinator.js';

export interface CoordinatorOptions {
  config?: string;
  port?: number;
  stateDir?: string;
  stay?: boolean;
}

export async function runCoordinator(options: CoordinatorOptions): Promise<void> {
  const config = loadCoordinatorConfig(options.config, {
    'listen.port': options.port,
    stateDir: options.stateDir,
  });
  const logger = processLogger().child({ role: 'coordinator' });
  await startBackend(config.backend, logger);
  const log = lineLog(logger);
  const emit = (event: object) => process.stdout.write(`${JSON.stringify(event)}\n`);
  const coordinator = await startCoordinator(config, log, (round) => {
    const fields = {
      round: round.round,
      task: round.kind,
      outcome: round.outcome,
      results: round.results.length,
      failures: round.failures.map((f) => `${f.clientId}: ${f.reason}`),
      ...(round.reason ? { reason: round.reason } : {}),
      seconds: round.collectMs / 1000,
    };
    if (round.outcome === 'failed') logger.warn(fields, 'round failed');
    else logger.info(fields, 'round closed');
    emit({ event: 'round', ...round });
  });
  emit({
    event: 'listening',
    host: config.listen.host,
    port: coordinator.port,
    dashboardPort: coordinator.dashboardPort,
  });
  let complete = false;
  const stop = () => {
    log('stopping (signal)');
    // A signal after the federation completed (--stay) is the expected end, not a failure.
    void coordinator.stop().then(() => process.exit(complete ? 0 : 130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const model = await coordinator.done;
    const modelDir = coordinator.store.modelDir(model.version);
    logger.info({ version: model.version, modelDir }, 'federation complete');
    emit({ event: 'done', version: model.version, modelDir });
    complete = true;
    if (options.stay) {
      log('the coordinator stays up (dashboard, status, the final model) until SIGINT or SIGTERM');
      await new Promise(() => {}); // the signal handlers end the process
    }
    // Give clients a moment to fetch the final model before shutting down.
    await new Promise((resolve) => setTimeout(resolve, 3000));
  } finally {
    await coordinator.stop();
  }
}
