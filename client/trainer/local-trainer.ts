/**
 * Trains a categorical VAE on one site's encoded flows: shuffled mini-batches, Adam, KL
 * warm-up, Gumbel temperature annealing, early stopping on a validation split (best weights
 * restored). Deterministic for a given seed on a given backend.
 */
import { tf } from '../../shared/runtime/tf.js';
import '../../shared/model/register-gradients.js';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { FlowEncoder } from '../../shared/encoding/flow-encoder.js';
import type { FlowTable } from '../../shared/encoding/flow-table.js';
import type { DetectorModel } from '../../shared/model/detector-model.js';
import type { LatentSpec, MixtureObjective } from '../../shared/model/model-spec.js';
import { MultiHotBuilder } from '../../shared/model/multi-hot.js';
import { unflatten } from '../../shared/model/parameters.js';
import { meanScore } from '../../shared/model/score-table.js';
import { TRAINING_DEFAULTS } from '../../shared/model/training-defaults.js';

export interface TrainingOptions {
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Epochs over which the KL weight ramps linearly to 1 (0 = full weight from the start). */
  readonly klWarmupEpochs: number;
  /** How a mixture latent is trained (ignored for a Gaussian latent). */
  readonly mixtureObjective: MixtureObjective;
  /** Stop after this many epochs without validation improvement (after warm-up). */
  readonly patience: number;
  readonly seed: number;
  /**
   * Federated rounds only. `optimizer`: an Adam the caller keeps across rounds (its moments
   * carry over; it is not disposed here). `proximal`: FedProx's (mu / 2) * ||w - anchor||^2
   * added to the loss, anchor = the global weights the round started from.
   */
  readonly optimizer?: tf.Optimizer;
  readonly proximal?: { readonly mu: number; readonly anchor: Float32Array };
  /** Stop after this many optimiser steps in all (federated rounds: equal work per site). */
  readonly maxSteps?: number;
}

export const DEFAULT_TRAINING: TrainingOptions = TRAINING_DEFAULTS;

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

export interface TrainingHooks {
  onBatch?(flowsDone: number, flowsTotal: number, epoch: number, epochs: number): void;
  onEpoch?(report: EpochReport): void;
}

export interface TrainingResult {
  readonly history: EpochReport[];
  /** Epoch (1-based) whose weights were kept. */
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
}

export async function trainLocal(
  model: DetectorModel,
  encoder: FlowEncoder,
  train: FlowTable,
  validation: FlowTable | null,
  options: TrainingOptions,
  hooks: TrainingHooks = {},
): Promise<TrainingResult> {
  if (train.length === 0) throw new Error('no training flows');
  const builder = new MultiHotBuilder(encoder);
  const optimizer = options.optimizer ?? tf.train.adam(options.learningRate);
  const anchor =
    options.proximal && options.proximal.mu > 0
      ? unflatten(options.proximal.anchor, model.spec.weights, 'proximal anchor')
      : null;
  const run: TrainingRun = {
    model,
    encoder,
    train,
    options,
    hooks,
    builder,
    optimizer,
    anchor,
    order: Uint32Array.from({ length: train.length }, (_, i) => i),
    rng: xoroshiro128plus(options.seed),
    stepsTaken: 0,
    maxSteps: options.maxSteps ?? Number.POSITIVE_INFINITY,
  };
  const history: EpochReport[] = [];
  let best = { loss: Infinity, epoch: 0, weights: null as Float32Array | null };
  let stoppedEarly = false;
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const report = trainEpoch(run, epoch, validation);
      history.push(report);
      hooks.onEpoch?.(report);
      // Let timers and I/O run between epochs.
      await new Promise((resolve) => setImmediate(resolve));
      const { validationLoss } = report;
      if (validationLoss !== null) {
        // Before the KL weight reaches 1 the objective is still changing: track but don't stop.
        if (validationLoss < best.loss || epoch <= options.klWarmupEpochs) {
          best = { loss: validationLoss, epoch, weights: model.getWeights() };
        } else if (epoch - best.epoch >= options.patience) {
          stoppedEarly = true;
          break;
        }
      }
      if (run.stepsTaken >= run.maxSteps) break;
    }
  } finally {
    if (!options.optimizer) optimizer.dispose();
    for (const t of anchor ?? []) t.dispose();
  }
  if (best.weights && best.epoch !== history.length) model.setWeights(best.weights);
  return { history, bestEpoch: best.weights ? best.epoch : history.length, stoppedEarly };
}

/** What every epoch of one trainLocal call shares; `stepsTaken` counts towards `maxSteps`. */
interface TrainingRun {
  readonly model: DetectorModel;
  readonly encoder: FlowEncoder;
  readonly train: FlowTable;
  readonly options: TrainingOptions;
  readonly hooks: TrainingHooks;
  readonly builder: MultiHotBuilder;
  readonly optimizer: tf.Optimizer;
  /** The FedProx anchor as tensors, or null without a proximal term. */
  readonly anchor: tf.Tensor[] | null;
  /** Row indices of `train`, reshuffled in place every epoch. */
  readonly order: Uint32Array;
  readonly rng: ReturnType<typeof xoroshiro128plus>;
  stepsTaken: number;
  readonly maxSteps: number;
}

/** One shuffled pass over the training flows (cut short at `maxSteps`), and its report. */
function trainEpoch(run: TrainingRun, epoch: number, validation: FlowTable | null): EpochReport {
  const { model, options, order } = run;
  shuffle(order, run.rng);
  const klWeight = Math.min(1, epoch / Math.max(1, options.klWarmupEpochs));
  const temperature = gumbelTemperature(model.spec.architecture.latent, epoch, options.epochs);
  const started = performance.now();
  let lossSum = 0;
  let flowsTrained = 0;
  let step = 0;
  for (let start = 0; start < order.length; start += options.batchSize) {
    if (run.stepsTaken >= run.maxSteps) break;
    run.stepsTaken++;
    const count = Math.min(options.batchSize, order.length - start);
    const x = run.builder.build(run.train.codes, order, start, count);
    const seed = options.seed * 1_000_003 + epoch * 10_007 + step++;
    lossSum += optimiserStep(run, x, klWeight, temperature, seed) * count;
    flowsTrained += count;
    x.dispose();
    run.hooks.onBatch?.(start + count, order.length, epoch, options.epochs);
  }
  const seconds = (performance.now() - started) / 1000;
  const validationLoss =
    validation && validation.length > 0 ? meanScore(model, run.encoder, validation) : null;
  return {
    epoch,
    epochs: options.epochs,
    // An epoch cut short by maxSteps reports over the flows it trained on.
    trainLoss: lossSum / flowsTrained,
    validationLoss,
    klWeight,
    temperature,
    flowsPerSecond: flowsTrained / seconds,
    seconds,
  };
}

/** The Gumbel temperature of an epoch: geometric from start to end (1 for a Gaussian latent). */
function gumbelTemperature(latent: LatentSpec, epoch: number, epochs: number): number {
  return latent.kind === 'mixture'
    ? latent.temperature.start *
        (latent.temperature.end / latent.temperature.start) **
          ((epoch - 1) / Math.max(1, epochs - 1))
    : 1;
}

/** One optimiser step on the batch `x` (with FedProx's term if any); returns its mean loss. */
function optimiserStep(
  run: TrainingRun,
  x: tf.Tensor2D,
  klWeight: number,
  temperature: number,
  seed: number,
): number {
  const { model, options, anchor } = run;
  const loss = run.optimizer.minimize(
    () => {
      const elbo = model.loss(x, {
        klWeight,
        temperature,
        seed,
        mixtureObjective: options.mixtureObjective,
      });
      let total: tf.Scalar = elbo;
      if (anchor)
        total = tf.add(total, proximalTerm(model.variables, anchor, options.proximal!.mu));
      return total;
    },
    true,
    model.variables,
  );
  const value = loss!.dataSync()[0]!;
  loss!.dispose();
  return value;
}

/** (mu / 2) * sum ||v - anchor||^2 over all variables. */
function proximalTerm(
  variables: readonly tf.Variable[],
  anchor: readonly tf.Tensor[],
  mu: number,
): tf.Scalar {
  const squares = variables.map((v, i) => tf.sum(tf.squaredDifference(v, anchor[i]!)));
  return tf.mul(tf.addN(squares), mu / 2) as tf.Scalar;
}

/** Fisher-Yates with a seeded generator (advanced in place). */
function shuffle(order: Uint32Array, rng: ReturnType<typeof xoroshiro128plus>): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
}
