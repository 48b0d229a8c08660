/**
 * What a detector model is to the rest of fedflow. The trainer, the scorer, the site worker,
 * generative replay and model directories use only this interface, so another model kind
 * (a sequence model beside the VAE) plugs in by naming a new `kind` in the spec and adding
 * its case to createDetector; test/unit/model/detector-suite.ts is what every kind must pass.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { FlowEncoder } from '../encoding/flow-encoder.js';
import type { FlowTable } from '../encoding/flow-table.js';
import type { ModelRows } from './model-rows.js';
import type { MixtureObjective, ModelSpec } from './model-spec.js';

/** Per-step settings of the training objective. */
export interface LossSettings {
  /** KL weight (warm-up ramps it from 0 to 1). */
  readonly klWeight: number;
  /** Gumbel-softmax temperature (mixture latent only). */
  readonly temperature: number;
  /** Seed of this step's latent noise. */
  readonly seed: number;
  /**
   * Mixture latent only: train on Gumbel-softmax relaxed samples, or on the exact expectation
   * over components (no sampling; the decoder runs once per component).
   */
  readonly mixtureObjective?: MixtureObjective;
  /**
   * Rows in the training set: a stick-breaking latent's global prior is paid once per data
   * set, 1 / trainingRows of it per row (when absent, the batch is taken as the data set).
   */
  readonly trainingRows?: number;
}

export interface ScoreOptions {
  /** Importance samples for a tighter bound (Gaussian; the mixture's bound is exact). 0 = ELBO. */
  readonly importanceSamples?: number;
  readonly seed?: number;
}

/**
 * Scores of a batch. Each row's score is the sum of its fields' parts and the latent part:
 * scores[r] = sum over f of fieldNll[r * fields + f] + latent[r].
 */
export interface BatchScores {
  /** Anomaly score per row, nats. */
  readonly scores: Float32Array;
  /** Row-major [rows x fields]: each field's negative log-likelihood, nats (what explains an alert). */
  readonly fieldNll: Float32Array;
  /** Per row, what the score holds beyond the fields: with the ELBO, the latent code's KL cost (>= 0). */
  readonly latent: Float32Array;
}

export interface DetectorModel {
  readonly spec: ModelSpec;
  /** Trainable variables, in weight-manifest order (the optimiser's and FedProx's order). */
  readonly variables: tf.Variable[];
  /** Mean training objective over a batch of multi-hot rows: what local training minimises. */
  loss(x: tf.Tensor2D, settings: LossSettings): tf.Scalar;
  /**
   * Optional fast path for training: the mean loss over a batch and its gradient, as one flat
   * vector (the gradient in weight-manifest order, then the loss), from the batch's multi-hot
   * columns (no dense matrix) and, for the sequence model, their histories. Null when the model has no such path for these settings; the
   * trainer then differentiates {@link loss} with autograd.
   */
  lossAndGradient?(rows: ModelRows, settings: LossSettings): tf.Tensor1D | null;
  /**
   * Scores a batch of multi-hot rows, read back to JS once. The rows may carry each flow's
   * history (its source host's earlier flows), which only the sequence model reads.
   */
  score(rows: ModelRows, options?: ScoreOptions): BatchScores;
  /** `count` encoded flows drawn from the model's own distribution (generative replay). */
  sample(encoder: FlowEncoder, count: number, seed: number): FlowTable;
  /** The weights as one flat vector in manifest order. */
  getWeights(): Float32Array;
  setWeights(flat: Float32Array): void;
  /** Frees every tensor the model holds. */
  dispose(): void;
}
