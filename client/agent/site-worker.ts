/**
 * A site's side of each federated task, with no transport: from its local flows and the
 * global model, compute the sketch, the model delta or the score histogram to send. Raw
 * records stay in here; what it returns is one of the payload kinds (messages.ts) and nothing
 * else: a sketch, a delta, a histogram, or a secure-aggregation step's message.
 */
import { ErrorFeedback } from '../../shared/codec/error-feedback.js';
import { seededUniform } from '../../shared/codec/stochastic-rounding.js';
import { FlowEncoder } from '../../shared/encoding/flow-encoder.js';
import type { FlowTable } from '../../shared/encoding/flow-table.js';
import { scoreHistogram } from '../../shared/federation/calibration.js';
import { sketchPayload } from '../../shared/federation/encoder-round.js';
import type { GlobalModel } from '../../shared/federation/global-model.js';
import type { ClientPayload, Task } from '../../shared/federation/messages.js';
import type { FlowSelection } from '../../shared/flows/pipeline.js';
import { createDetector } from '../../shared/model/create-detector.js';
import type { DetectorModel } from '../../shared/model/detector-model.js';
import { historySettingsFor } from '../../shared/model/gru/gru-layers.js';
import { meanScore, scoreTable } from '../../shared/model/score-table.js';
import {
  encodeFlows,
  type SplitShares,
  sketchFlows,
  splitTable,
} from '../pipeline/training-set.js';
import { FlatAdam } from '../trainer/flat-adam.js';
import { trainLocal } from '../trainer/local-trainer.js';
import type { TrainingHooks } from '../trainer/training-hooks.js';
import { SecureSessions, type TrainedDelta } from './secure-sessions.js';

export interface SiteSettings {
  /** This site's client id (its key's fingerprint): secure aggregation finds it in the roster. */
  readonly id?: string;
  readonly selection: FlowSelection;
  readonly shares: SplitShares;
  /** Seeds this site's batch order; each round's seed derives from it and the round. */
  readonly seed: number;
  /** Progress of local training (a bar on a terminal, log lines otherwise). */
  readonly hooks?: TrainingHooks;
  /** The local trainer; tests pass a spy to see the settings it is given. */
  readonly trainer?: typeof trainLocal;
}

/**
 * How a site trains is published by the coordinator with every task (Task.training,
 * Task.minCategoryCount): its own config chooses only its data, splits and seed.
 */
export class SiteWorker {
  private encoded: {
    version: string;
    train: FlowTable;
    validation: FlowTable;
    calibration: FlowTable;
  } | null = null;
  /**
   * Adam kept across rounds when the coordinator asks for it (keepOptimizerState), for one
   * model shape and learning rate: a coordinator that starts over with another model gets a
   * fresh one instead of moments of the wrong shapes.
   */
  private optimizer: { key: string; adam: FlatAdam } | null = null;
  /** The secure aggregation in progress (its secrets live there until it unmasks). */
  private sessions: SecureSessions | null = null;
  /** What quantising earlier deltas left out, for one update width and model shape. */
  private feedback: { key: string; memory: ErrorFeedback } | null = null;

  /** How long the last training task's optimiser steps took (the rest is scoring, sampling). */
  lastTrainingMs = 0;

  constructor(private readonly settings: SiteSettings) {}

  /** Runs one task; `model` is the verified global model for train/calibrate tasks. */
  async run(task: Task, model: GlobalModel | null): Promise<ClientPayload> {
    if (task.secagg) return this.secure().answer(task, () => this.trainDelta(task, model));
    if (task.kind === 'sketch') {
      const { schema, sketch } = await sketchFlows(this.settings.selection);
      // The coordinator may ask for a higher floor, never for a lower one (MIN_SKETCH_COUNT).
      return sketchPayload(sketch, task.minCategoryCount, schema.name, task.maxCategoryValues);
    }
    if (!model) throw new Error(`a ${task.kind} task needs the global model`);
    if (task.kind === 'calibrate') {
      const data = await this.localData(model);
      const vae = createDetector(model.spec, model.weights);
      try {
        const scores = scoreTable(vae, new FlowEncoder(model.spec.encoder), data.calibration);
        return {
          kind: 'histogram',
          modelVersion: model.version,
          counts: scoreHistogram(scores),
          flows: scores.length,
        };
      } finally {
        vae.dispose();
      }
    }
    const trained = await this.trainDelta(task, model);
    return { kind: 'delta', ...trained, ...this.encodeDelta(trained.delta, task, model) };
  }

  /** One round of local training from `model`: the change of the weights, examples and loss. */
  private async trainDelta(task: Task, model: GlobalModel | null): Promise<TrainedDelta> {
    if (!model) throw new Error(`a ${task.kind} task needs the global model`);
    const data = await this.localData(model);
    const vae = createDetector(model.spec, model.weights);
    try {
      const encoder = new FlowEncoder(model.spec.encoder);
      // The global model's loss on local held-out flows, before local training: what the
      // coordinator reports per round must describe the shared model, not the local one.
      const validationLoss =
        data.validation.length > 0 ? meanScore(vae, encoder, data.validation) : Number.NaN;
      await this.trainRound(task, model, vae, encoder, data.train);
      const local = vae.getWeights();
      const delta = new Float32Array(local.length);
      for (let i = 0; i < local.length; i++) delta[i] = local[i]! - model.weights[i]!;
      return { modelVersion: model.version, delta, examples: data.train.length, validationLoss };
    } finally {
      vae.dispose();
    }
  }

  private secure(): SecureSessions {
    if (!this.settings.id)
      throw new Error('secure aggregation needs the site worker to know its client id');
    this.sessions ??= new SecureSessions(this.settings.id, this.settings.seed);
    return this.sessions;
  }

  /**
   * The delta as the round asks for it: float32 as is, or quantised with what earlier rounds'
   * quantisation left out added back first (error feedback, kept for one model shape).
   */
  private encodeDelta(delta: Float32Array, task: Task, model: GlobalModel) {
    const bits = task.training.updateBits;
    if (bits === 32) return { delta };
    const key = JSON.stringify([bits, model.spec.weights]);
    if (this.feedback?.key !== key) this.feedback = { key, memory: new ErrorFeedback(bits) };
    const uniform = seededUniform(this.settings.seed * 7919 + task.round);
    const { quantized, sent } = this.feedback.memory.compress(delta, uniform);
    return { delta: sent, quantized };
  }

  /** Forgets the optimiser kept across rounds. */
  dispose(): void {
    this.optimizer = null;
  }

  private async trainRound(
    task: Task,
    model: GlobalModel,
    vae: DetectorModel,
    encoder: FlowEncoder,
    train: FlowTable,
  ): Promise<void> {
    const t = task.training;
    const latent = model.spec.architecture.latent;
    const rows = withReplay(train, t.replayShare, task, vae, encoder, this.settings.seed);
    const steps = t.localSteps > 0 ? t.localSteps : undefined;
    const batchesPerEpoch = Math.max(1, Math.ceil(rows.length / t.batchSize));
    const trainer = this.settings.trainer ?? trainLocal;
    const started = performance.now();
    await trainer(
      vae,
      encoder,
      rows,
      null,
      {
        epochs: steps === undefined ? t.epochs : Math.ceil(steps / batchesPerEpoch),
        maxSteps: steps,
        batchSize: t.batchSize,
        learningRate: t.learningRate,
        // Each round's seed differs so that sites and rounds do not replay the same batches.
        seed: this.settings.seed * 7919 + task.round,
        // Warm-up belongs to training from scratch; federated rounds continue one model.
        klWarmupEpochs: 0,
        patience: Number.POSITIVE_INFINITY,
        mixtureObjective: latent.kind === 'mixture' ? (latent.objective ?? 'exact') : 'exact',
        optimizer: t.keepOptimizerState ? this.keptOptimizer(model, t.learningRate) : undefined,
        proximal: t.proximalMu > 0 ? { mu: t.proximalMu, anchor: model.weights } : undefined,
      },
      this.settings.hooks,
    );
    this.lastTrainingMs = Math.round(performance.now() - started);
  }

  private keptOptimizer(model: GlobalModel, learningRate: number): FlatAdam {
    const key = JSON.stringify([learningRate, model.spec.weights]);
    if (this.optimizer?.key !== key) {
      this.optimizer = { key, adam: new FlatAdam(model.weights.length, learningRate) };
    }
    return this.optimizer.adam;
  }

  /** Encodes local flows once per encoder (the encoder is fixed after the encoder round). */
  private async localData(model: GlobalModel) {
    const version = JSON.stringify(model.spec.encoder);
    if (this.encoded?.version !== version) {
      const table = await encodeFlows(
        this.settings.selection,
        new FlowEncoder(model.spec.encoder),
        historySettingsFor(model.spec.kind, model.spec.architecture),
      );
      this.encoded = { version, ...splitTable(table, this.settings.shares) };
    }
    return this.encoded;
  }
}

/**
 * The round's training rows: the site's own, plus flows sampled from the global model so
 * that they make up `share` of the whole (generative replay). Not in the first training round,
 * whose global model is untrained.
 */
function withReplay(
  own: FlowTable,
  share: number,
  task: Task,
  global: DetectorModel,
  encoder: FlowEncoder,
  seed: number,
): FlowTable {
  if (share <= 0 || task.round <= 1) return own;
  const count = Math.round((own.length * share) / (1 - share));
  return own.concat(global.sample(encoder, count, seed * 7919 + task.round));
}
