/**
 * `fedflow coordinator`: runs the coordinator until the federation completes. Human-readable
 * logs go to stderr; one JSON event per line on stdout (listening, round, done) for tools.
 */
import type { Command } from 'commander';
import { startCoordinator } from '../../../coordinator/coordinator-server.js';
import { loadCoordinatorConfig } from '../../config/federation-config.js';
import { startBackend } from '../flow-options.js';

interface CoordinatorOptions {
  config?: string;
  port?: number;
  stateDir?: string;
}

const stamp = () => new Date().toISOString();

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
      const log = (line: string) => process.stderr.write(`${stamp()} coordinator: ${line}\n`);
      const emit = (event: object) => process.stdout.write(`${JSON.stringify(event)}\n`);
      const coordinator = await startCoordinator(config, log, (round) => {
        const fails = round.failures.map((f) => `${f.clientId}: ${f.reason}`).join('; ');
        log(
          `round ${round.round} ${round.kind} ${round.outcome}: ${round.results.length} results${fails ? `, failures: ${fails}` : ''}`,
        );
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
        log(`federation complete: model v${model.version} with thresholds in ${modelDir}`);
        emit({ event: 'done', version: model.version, modelDir });
        // Give clients a moment to fetch the final model before shutting down.
        await new Promise((resolve) => setTimeout(resolve, 3000));
      } finally {
        await coordinator.stop();
      }
    });
}
