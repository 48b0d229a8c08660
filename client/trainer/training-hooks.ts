/**
 * What local training tells whoever watches it (a progress bar, the site's metrics, logs):
 * where an epoch is after each optimiser step, and a report when an epoch ends.
 */

export interface EpochReport {
  readonly epoch: number;
  readonly epochs: number;
  readonly trainLoss: number;
  /** Mean anomaly score (negative ELBO, nats) on the validation split, or null without one. */
  readonly validationLoss: number | null;
  readonly klWeight: number;
  readonly temperature: number;
  readonly flowsPerSecond: number;
  readonly seconds: number;
}

/** Where an epoch is, after each optimiser step. */
export interface BatchProgress {
  readonly flowsDone: number;
  readonly flowsTotal: number;
  readonly epoch: number;
  readonly epochs: number;
  /** Mean training loss over this epoch's batches so far (the epoch's loss once it ends). */
  readonly runningLoss: number;
}

export interface TrainingHooks {
  onBatch?(progress: BatchProgress): void;
  onEpoch?(report: EpochReport): void;
}
