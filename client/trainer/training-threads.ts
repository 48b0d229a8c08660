/**
 * How many threads share a training step: FEDFLOW_TRAINING_THREADS (1 or 2), else one.
 * Measured on 2 quiet cores (docs/model.md, "Speed"): at the default batch of 512 a second
 * thread gave `fedflow train` 1.00-1.06x, and less than one thread while other processes held
 * a core, since each step waits for the slower half; at batches of 2,048 it gave 1.3-1.5x.
 * So it is there to ask for, not the default (and on the native backend, whose kernels
 * already use every core, there is nothing to gain).
 */
export const TRAINING_THREADS_ENV = 'FEDFLOW_TRAINING_THREADS';

export function trainingThreads(env: NodeJS.ProcessEnv = process.env): number {
  const forced = env[TRAINING_THREADS_ENV];
  if (forced === undefined || forced === '') return 1;
  if (forced !== '1' && forced !== '2')
    throw new Error(`${TRAINING_THREADS_ENV}: expected 1 or 2, got '${forced}'`);
  return Number(forced);
}
