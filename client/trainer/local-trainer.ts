/**
 * Trains a categorical VAE on one site's encoded flows: shuffled mini-batches, Adam, KL
 * warm-up, Gumbel temperature annealing, early stopping on a validation split (best weights
 * restored). Deterministic for a given seed on a given backend. Each step reads the gradient
 * back as one flat vector (the model's hand-written gradient where it has one, else autograd)
 * and Adam updates the flat weights in JavaScript (flat-adam.ts).
 */

import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { FlowEncoder } from '../../shared/encoding/flow-encoder.js';
import type { FlowTable } from '../../shared/encoding/flow-table.js';
import type { DetectorModel, LossSettings } from '../../shared/model/detector-model.js';
import type { LatentSpec, MixtureObjective } from '../../shared/model/model-spec.js';
import { MultiHotBuilder } from '../../shared/model/multi-hot.js';
import { meanScore } from '../../shared/model/score-table.js';
import { TRAINING_DEFAULTS } from '../../shared/model/training-defaults.js';
import type { BackendName } from '../../shared/runtime/backend.js';
import { tf } from '../../shared/runtime/tf.js';
import { batchGradient } from './batch-gradient.js';
import { FlatAdam } from './flat-adam.js';
import { type SecondCore, secondCore, sessionKey } from './second-core.js';
import type { EpochReport, TrainingHooks } from './training-hooks.js';
import { trainingThreads } from './training-threads.js';

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
   * carry over). `proximal`: FedProx's (mu / 2) * ||w - anchor||^2
   * added to the loss, anchor = the global weights the round started from.
   */
  readonly optimizer?: FlatAdam;
  readonly proximal?: { readonly mu: number; readonly anchor: Float32Array };
  /** Stop after this many optimiser steps in all (federated rounds: equal work per site). */
  readonly maxSteps?: number;
  /**
   * Threads that share each step (1 or 2; default FEDFLOW_TRAINING_THREADS, else 1). With 2,
   * a worker computes half of every batch of at least 2 x MIN_HALF_BATCH rows (second-core.ts).
   */
  readonly threads?: number;
}

/** Below this many rows a half batch costs more to hand over than it saves. */
export const MIN_HALF_BATCH = 64;

export const DEFAULT_TRAINING: TrainingOptions = TRAINING_DEFAULTS;

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
  const weights = model.getWeights();
  const optimizer = options.optimizer ?? new FlatAdam(weights.length, options.learningRate);
  const anchor = options.proximal && options.proximal.mu > 0 ? options.proximal.anchor : null;
  if (anchor && anchor.length !== weights.length)
    throw new Error(`proximal anchor has ${anchor.length} weights, the model ${weights.length}`);
  const run: TrainingRun = {
    model,
    encoder,
    train,
    options,
    hooks,
    builder,
    optimizer,
    anchor,
    weights,
    order: Uint32Array.from({ length: train.length }, (_, i) => i),
    rng: xoroshiro128plus(options.seed),
    stepsTaken: 0,
    maxSteps: options.maxSteps ?? Number.POSITIVE_INFINITY,
    second: secondCoreFor(model, options),
  };
  const history: EpochReport[] = [];
  let best = { loss: Infinity, epoch: 0, weights: null as Float32Array | null };
  let stoppedEarly = false;
  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    // Another training run in this process may have used the worker since the last epoch.
    run.second?.core.prepare(model.spec, run.second.rows, run.second.key);
    const report = trainEpoch(run, epoch, validation);
    history.push(report);
    hooks.onEpoch?.(report);
    // Let timers and I/O run between epochs.
    await new Promise((resolve) => setImmediate(resolve));
    const { validationLoss } = report;
    if (validationLoss !== null) {
      // Before the KL weight reaches 1 the objective is still changing: track but don't stop.
      if (validationLoss < best.loss || epoch <= options.klWarmupEpochs) {
        best = { loss: validationLoss, epoch, weights: weights.slice() };
      } else if (epoch - best.epoch >= options.patience) {
        stoppedEarly = true;
        break;
      }
    }
    if (run.stepsTaken >= run.maxSteps) break;
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
  readonly optimizer: FlatAdam;
  /** The FedProx anchor (flat weights), or null without a proximal term. */
  readonly anchor: Float32Array | null;
  /** The model's weights as Adam updates them; written to the model after every step. */
  readonly weights: Float32Array;
  /** Row indices of `train`, reshuffled in place every epoch. */
  readonly order: Uint32Array;
  readonly rng: ReturnType<typeof xoroshiro128plus>;
  stepsTaken: number;
  readonly maxSteps: number;
  /** The worker that takes half of each batch, or null on one thread. */
  readonly second: { core: SecondCore; rows: number; key: string } | null;
}

/** The second core for this run, or null when the run trains on one thread. */
function secondCoreFor(model: DetectorModel, options: TrainingOptions) {
  const threads = options.threads ?? trainingThreads();
  const rows = Math.floor(options.batchSize / 2);
  if (threads < 2 || rows < MIN_HALF_BATCH) return null;
  const core = secondCore(tf.getBackend() as BackendName);
  return { core, rows, key: sessionKey(model.spec, rows) };
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
    const seed = options.seed * 1_000_003 + epoch * 10_007 + step++;
    lossSum += optimiserStep(run, start, count, { klWeight, temperature, seed }) * count;
    flowsTrained += count;
    run.hooks.onBatch?.({
      flowsDone: start + count,
      flowsTotal: order.length,
      epoch,
      epochs: options.epochs,
      runningLoss: lossSum / flowsTrained,
    });
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

/**
 * One optimiser step on rows `order[start .. start + count)` (with FedProx's term if any);
 * returns its mean loss. With a second core, the worker takes the batch's second half.
 */
function optimiserStep(
  run: TrainingRun,
  start: number,
  count: number,
  step: Omit<LossSettings, 'mixtureObjective'>,
): number {
  const { model, options, anchor, weights, order } = run;
  const codes = run.train.codes;
  const settings: LossSettings = {
    ...step,
    mixtureObjective: options.mixtureObjective,
    trainingRows: order.length,
  };
  const half = run.second && count >= 2 * MIN_HALF_BATCH ? Math.floor(count / 2) : 0;
  const own = count - half;
  if (half)
    run.second!.core.begin(weights, codes, order, start + own, half, settings, run.train.history);
  const gradient = batchGradient(
    model,
    run.builder,
    codes,
    order,
    start,
    own,
    settings,
    run.train.history,
  );
  if (half) {
    // Both halves are means over their rows: weight them by rows for the whole batch's mean.
    const other = run.second!.core.finish();
    for (let i = 0; i < gradient.length; i++)
      gradient[i] = (gradient[i]! * own + other[i]! * half) / count;
  }
  let loss = gradient[weights.length]!;
  const g = gradient.subarray(0, weights.length);
  if (anchor) loss += addProximalGradient(g, weights, anchor, options.proximal!.mu);
  run.optimizer.step(weights, g);
  model.setWeights(weights);
  return loss;
}

/**
 * FedProx: adds the gradient of (mu / 2) * ||w - anchor||^2 to `gradient` and returns the
 * term's value (reported as part of the loss).
 */
function addProximalGradient(
  gradient: Float32Array,
  weights: Float32Array,
  anchor: Float32Array,
  mu: number,
): number {
  let squares = 0;
  for (let i = 0; i < weights.length; i++) {
    const d = weights[i]! - anchor[i]!;
    squares += d * d;
    gradient[i] = gradient[i]! + mu * d;
  }
  return (mu / 2) * squares;
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
