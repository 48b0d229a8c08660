/** What `fedflow coordinator` does (its options: cli/commands/coordinator.ts). */
import type { RoundRecord } from '../../coordinator/store/federation-state.js';
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
  // No job running: a signal now (--stay) is the expected end, not a failure.
  let idle = false;
  const onRound = (round: RoundRecord) => {
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
  };
  const coordinator = await startCoordinator(config, log, {
    onRound,
    follow: options.stay,
    onJobStart: () => {
      idle = false;
    },
    onJobDone: (job, model) => {
      idle = true;
      const modelDir = job.store.modelDir(model.version);
      logger.info({ job: job.id, version: model.version, modelDir }, 'federation complete');
      emit({ event: 'done', job: job.id, version: model.version, modelDir });
    },
  });
  emit({
    event: 'listening',
    host: config.listen.host,
    port: coordinator.port,
    dashboardPort: coordinator.dashboardPort,
  });
  const stop = () => {
    log('stopping (signal)');
    void coordinator.stop().then(() => process.exit(idle ? 0 : 130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (options.stay)
    log(
      'the coordinator stays up after each job (dashboard, status, the final model, jobs requested with fedflow admin job start) until SIGINT or SIGTERM',
    );
  try {
    await coordinator.done;
    // Give clients a moment to fetch the final model before shutting down.
    await new Promise((resolve) => setTimeout(resolve, 3000));
  } finally {
    await coordinator.stop();
  }
}
