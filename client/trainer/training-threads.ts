/**
 * How many threads local training uses by default: two where the machine has two cores for
 * this process, else one. FEDFLOW_TRAINING_THREADS (1 or 2) overrides; a process that is
 * itself a worker thread stays on one, so sites simulated in workers do not oversubscribe.
 */
import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';

export const TRAINING_THREADS_ENV = 'FEDFLOW_TRAINING_THREADS';

export function trainingThreads(env: NodeJS.ProcessEnv = process.env): number {
  const forced = env[TRAINING_THREADS_ENV];
  if (forced !== undefined && forced !== '') {
    if (forced !== '1' && forced !== '2')
      throw new Error(`${TRAINING_THREADS_ENV}: expected 1 or 2, got '${forced}'`);
    return Number(forced);
  }
  return isMainThread && availableParallelism() >= 2 ? 2 : 1;
}
