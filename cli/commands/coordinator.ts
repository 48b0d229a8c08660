/**
 * `fedflow coordinator`: runs the coordinator until the federation completes. Human-readable
 * logs go to stderr; one JSON event per line on stdout (listening, round, done) for tools.
 */
import type { Command } from 'commander';
import { loadCoordinatorConfig } from '../../shared/config/federation-config.js';
import { createLogger } from '../../shared/logging/logger.js';
import { startBackend } from '../flow-options.js';
import { startCoordinator } from '../roles/coordinator.js';

interface CoordinatorOptions {
  config?: string;
  port?: number;
  stateDir?: string;
}

export function registerCoordinator(program: Command): void {
  program
    .command('coordinator')
    .description('run the federation coordinator (see config/coordinator.example.json)')
    .option('--config <file>', 'coordinator settings (JSON)')
    .option('--port <n>', 'listen port (overrides listen.port; 0 = any free port)', Number)
    .option('--state-dir <dir>', 'state directory (overrides stateDir)')
    .action(async (options: CoordinatorOptions) => {
      const config = loadCoordinatorConfig(options.config, {
        'listen.port': options.port,
        stateDir: options.stateDir,
      });
      await startBackend(config.backend);
      const logger = createLogger({ role: 'coordinator' });
      const log = (line: string) => logger.info(line);
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
      const stop = () => {
        log('stopping (signal)');
        void coordinator.stop().then(() => process.exit(130));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        const model = await coordinator.done;
        const modelDir = coordinator.store.modelDir(model.version);
        logger.info({ version: model.version, modelDir }, 'federation complete');
        emit({ event: 'done', version: model.version, modelDir });
        // Give clients a moment to fetch the final model before shutting down.
        await new Promise((resolve) => setTimeout(resolve, 3000));
      } finally {
        await coordinator.stop();
      }
    });
}
