/**
 * How many threads local training uses by default: two where the machine has two cores for
 * this process, else one. FEDFLOW_TRAINING_THREADS (1 or 2) overrides. One on the native
 * backend, whose kernels already run on every core (TensorFlow's intra-op threads), and in a
 * process that is itself a worker thread, so sites simulated in workers do not oversubscribe.
 */
import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';

export const TRAINING_THREADS_ENV = 'FEDFLOW_TRAINING_THREADS';

export function trainingThreads(backend: string, env: NodeJS.ProcessEnv = process.env): number {
  const forced = env[TRAINING_THREADS_ENV];
  if (forced !== undefined && forced !== '') {
    if (forced !== '1' && forced !== '2')
      throw new Error(`${TRAINING_THREADS_ENV}: expected 1 or 2, got '${forced}'`);
    return Number(forced);
  }
  return backend !== 'tensorflow' && isMainThread && availableParallelism() >= 2 ? 2 : 1;
}
