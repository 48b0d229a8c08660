/**
 * Scoring a discrete-latent VAE (the fixed mixture and the stick-breaking mixture): the
 * expectation over components is exact, no sampling at all. The two differ only in the prior
 * over components, log pi, which the caller passes. The decoder's output for each component
 * depends on the weights only, so it is computed once per set of weights, not once per batch;
 * every product with the multi-hot rows is a multi-hot kernel's sum of matrix rows.
 */
import { multiHotTimesView } from '../kernels/multi-hot-kernel.js';
import { tensorFromView, viewValues } from '../runtime/tensor-view.js';
import { tf } from '../runtime/tf.js';
import type { FieldSegments } from './categorical-likelihood.js';
import type { ScoreOptions } from './detector-model.js';
import type { MultiHotRows } from './multi-hot.js';

export type Layer = { kernel: tf.Variable<tf.Rank.R2>; bias: tf.Variable<tf.Rank.R1> };

/** What scoring needs of the model. */
export interface MixtureNetwork {
  readonly encoderLayers: readonly Layer[];
  readonly latentLayer: Layer;
  readonly segments: FieldSegments;
  readonly components: number;
  /** Decoder logits for latent rows (one-hot components here). */
  decode(z: tf.Tensor2D): tf.Tensor2D;
}

export class MixtureScorer {
  /** The per-component decoder output, or null until needed (see componentTable). */
  private components: ComponentTable | null = null;

  constructor(private readonly net: MixtureNetwork) {}

  /**
   * [scores, fieldNll] of a batch under prior `logPrior` over components ([K]); call inside a
   * tidy. Score = E_q[-log p(x | c)] + KL(q(c | x) || pi), or -log p(x) with importance samples
   * (exact here: the sum over components).
   */
  score(
    rows: MultiHotRows,
    logPrior: tf.Tensor1D,
    options: ScoreOptions,
  ): [tf.Tensor1D, tf.Tensor2D] {
    const k = this.net.components;
    const cache = this.componentTable();
    const logQ = tf.logSoftmax(this.logits(rows));
    const q = tf.exp(logQ);
    const likelihoods = multiHotTimesView(rows, cache.tableT, k);
    const logPxGivenC = tf.sub(tensorFromView(likelihoods, rows.count, k), cache.logZ);
    // Each field's expected logit at its observed code: the row's mixture of logits, picked at
    // the row's columns.
    const observed = pickColumns(tf.matMul(q, cache.table), rows);
    const fieldNll = tf.sub(tf.matMul(q, cache.logNorm), observed) as tf.Tensor2D;
    if ((options.importanceSamples ?? 0) > 0) {
      const logPx = tf.logSumExp(tf.add(logPxGivenC, logPrior), 1);
      return [tf.neg(logPx) as tf.Tensor1D, fieldNll];
    }
    // Expected NLL plus KL(q || pi), summed apart: one sum of their difference loses more
    // float32 precision where log p(x | c) is large (up to 3.5e-4 nats on a fresh model).
    const expectedNll = tf.neg(tf.sum(tf.mul(q, logPxGivenC), 1));
    const kl = tf.sum(tf.mul(q, tf.sub(logQ, logPrior)), 1);
    return [tf.add(expectedNll, kl) as tf.Tensor1D, fieldNll];
  }

  /** The posterior's logits for multi-hot rows: the first layer by the multi-hot kernel. */
  logits(rows: MultiHotRows): tf.Tensor2D {
    const firstKernel = this.componentTable().firstKernel;
    const [first, ...rest] = [...this.net.encoderLayers, this.net.latentLayer];
    const width = first!.bias.shape[0];
    const product = tensorFromView(multiHotTimesView(rows, firstKernel, width), rows.count, width);
    let h = tf.add(product, first!.bias) as tf.Tensor2D;
    for (const layer of rest) h = tf.add(tf.matMul(tf.relu(h), layer.kernel), layer.bias);
    return h;
  }

  /** Drops what was computed from the weights (they changed, or the model is disposed). */
  forget(): void {
    if (this.components)
      for (const t of [this.components.table, this.components.logNorm, this.components.logZ])
        t.dispose();
    this.components = null;
  }

  /**
   * What scoring keeps per set of weights: the decoder's logits per component and their
   * normalisers, and (as arrays, for the multi-hot kernels) the table's transpose and the
   * first layer's kernel.
   */
  private componentTable(): ComponentTable {
    if (!this.components) {
      const tensors = tf.tidy(() => {
        const table = this.net.decode(tf.eye(this.net.components) as tf.Tensor2D); // [K x width]
        const logNorm = this.net.segments.logNormalisers(table); // [K x fields]
        return { table, logNorm, logZ: tf.sum(logNorm, 1) as tf.Tensor1D };
      });
      // Kept: scoring calls this inside its own tidy, which would otherwise dispose them.
      for (const t of Object.values(tensors)) tf.keep(t);
      const transposed = tf.transpose(tensors.table);
      const tableT = transposed.dataSync() as Float32Array;
      transposed.dispose();
      const first = this.net.encoderLayers[0] ?? this.net.latentLayer;
      const firstKernel = first.kernel.dataSync() as Float32Array;
      this.components = { ...tensors, tableT, firstKernel };
    }
    return this.components;
  }
}

interface ComponentTable {
  readonly table: tf.Tensor2D;
  readonly logNorm: tf.Tensor2D;
  readonly logZ: tf.Tensor1D;
  /** The table's transpose [width x K], row-major. */
  readonly tableT: Float32Array;
  /** The first layer's kernel [width x its units], row-major. */
  readonly firstKernel: Float32Array;
}

/** out[r, f] = values[r, columns[r, f]]: [count x fields] of a [count x width] tensor. */
function pickColumns(values: tf.Tensor2D, rows: MultiHotRows): tf.Tensor2D {
  const { count, fields, width, columns } = rows;
  const all = viewValues(values);
  const picked = new Float32Array(count * fields);
  for (let r = 0; r < count; r++)
    for (let f = 0; f < fields; f++)
      picked[r * fields + f] = all[r * width + columns[r * fields + f]!]!;
  return tf.tensor2d(picked, [count, fields]);
}
