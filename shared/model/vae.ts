/**
 * The categorical VAE: multi-hot flows in, an MLP encoder, a Gaussian or relaxed-categorical
 * (Gumbel-softmax) latent, an MLP decoder to one softmax head per field. Anomaly score is
 * the negative ELBO in nats; it splits into per-field terms that explain an alert.
 */
import type { FlowEncoder } from '../encoding/flow-encoder.js';
import type { FlowTable } from '../encoding/flow-table.js';
import { multiHotTimes } from '../kernels/multi-hot-kernel.js';
import { tf } from '../runtime/tf.js';
import { FieldSegments } from './categorical-likelihood.js';
import { dataTimesTransposed, dense } from './dense.js';
import type { BatchScores, DetectorModel, LossSettings, ScoreOptions } from './detector-model.js';
import { exactMixtureGradient } from './exact-mixture-gradient.js';
import { categoricalKl, gaussianKl, latentParts } from './latent-terms.js';
import type { MixtureObjective, ModelSpec } from './model-spec.js';
import { type MultiHotRows, multiHotTensor } from './multi-hot.js';
import { type LayerRole, latentWidth, unflatten, vaeLayers } from './parameters.js';
import { sampleFlows } from './sample-flows.js';

export type { BatchScores, LossSettings, MixtureObjective, ScoreOptions };

type Layer = { kernel: tf.Variable<tf.Rank.R2>; bias: tf.Variable<tf.Rank.R1> };

export class CategoricalVae implements DetectorModel {
  readonly variables: tf.Variable[];
  readonly segments: FieldSegments;
  private readonly encoderLayers: Layer[];
  private readonly latentLayer: Layer;
  private readonly decoderLayers: Layer[];
  private readonly outputLayer: Layer;
  /** Scoring's per-component decoder output, or null until needed (see componentTable). */
  private components: ComponentTable | null = null;

  constructor(
    readonly spec: ModelSpec,
    weights: Float32Array,
  ) {
    const tensors = unflatten(weights, spec.weights, 'model weights');
    this.variables = tensors.map((t, i) => {
      const v = tf.variable(t, true, `${spec.weights[i]!.name}_${uniqueId()}`);
      t.dispose();
      return v;
    });
    const cardinalities = spec.encoder.fields.map((f) =>
      f.kind === 'categorical' ? f.vocabulary.length + 1 : f.edges.length + 2,
    );
    const inputWidth = cardinalities.reduce((a, b) => a + b, 0);
    const byRole: Record<LayerRole, Layer[]> = { encoder: [], latent: [], decoder: [], output: [] };
    vaeLayers(spec.architecture, inputWidth).forEach((layer, i) => {
      byRole[layer.role].push({
        kernel: this.variables[2 * i] as tf.Variable<tf.Rank.R2>,
        bias: this.variables[2 * i + 1] as tf.Variable<tf.Rank.R1>,
      });
    });
    this.encoderLayers = byRole.encoder;
    this.latentLayer = byRole.latent[0]!;
    this.decoderLayers = byRole.decoder;
    this.outputLayer = byRole.output[0]!;
    this.segments = new FieldSegments(cardinalities);
  }

  get fieldCount(): number {
    return this.segments.fieldCount;
  }

  /** Mean training objective over a batch: negative ELBO with a weighted KL term. */
  loss(x: tf.Tensor2D, settings: LossSettings): tf.Scalar {
    return tf.tidy(() => {
      const h = this.encode(x);
      const latent = this.spec.architecture.latent;
      const rows = x.shape[0];
      let z: tf.Tensor2D;
      let kl: tf.Tensor1D;
      if (latent.kind === 'gaussian') {
        const { mu, logVar } = this.gaussianPosterior(h, latent.dim);
        const eps = tf.randomNormal([rows, latent.dim], 0, 1, 'float32', settings.seed);
        z = tf.add(mu, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps)) as tf.Tensor2D;
        kl = gaussianKl(mu, logVar);
      } else if (settings.mixtureObjective === 'exact') {
        // Sum over all K components instead of sampling one: the decoder runs on K rows only.
        const alpha = dense(h, this.latentLayer.kernel, this.latentLayer.bias, true);
        const expectedNll = tf.neg(
          tf.sum(tf.mul(tf.softmax(alpha), this.componentLogLikelihoods(x)), 1),
        );
        return tf.mean(
          tf.add(expectedNll, tf.mul(categoricalKl(alpha, latent.components), settings.klWeight)),
        ) as tf.Scalar;
      } else {
        const alpha = dense(h, this.latentLayer.kernel, this.latentLayer.bias, true);
        const u = tf.randomUniform(
          [rows, latent.components],
          1e-6,
          1 - 1e-6,
          'float32',
          settings.seed,
        );
        const gumbel = tf.neg(tf.log(tf.neg(tf.log(u))));
        z = tf.softmax(tf.div(tf.add(alpha, gumbel), settings.temperature)) as tf.Tensor2D;
        kl = categoricalKl(alpha, latent.components);
      }
      const nll = this.segments.negLogLikelihood(this.decode(z), x);
      return tf.mean(tf.add(nll, tf.mul(kl, settings.klWeight))) as tf.Scalar;
    });
  }

  /** The exact mixture objective has a hand-written gradient (exact-mixture-gradient.ts). */
  lossAndGradient(rows: MultiHotRows, settings: LossSettings): tf.Tensor1D | null {
    if (this.spec.architecture.latent.kind !== 'mixture' || settings.mixtureObjective !== 'exact')
      return null;
    const layers = {
      encoder: this.encoderLayers,
      latent: this.latentLayer,
      decoder: this.decoderLayers,
      output: this.outputLayer,
    };
    return exactMixtureGradient(layers, this.segments, rows, settings.klWeight);
  }

  /** Scores a batch (read back to JS once). See {@link BatchScores}. */
  score(rows: MultiHotRows, options: ScoreOptions = {}): BatchScores {
    const [score, fieldNll] =
      this.spec.architecture.latent.kind === 'gaussian'
        ? this.scoreGaussian(rows, options)
        : tf.tidy(() => this.scoreMixture(rows, options));
    const scores = score.dataSync() as Float32Array;
    const perField = fieldNll.dataSync() as Float32Array;
    score.dispose();
    fieldNll.dispose();
    return { scores, fieldNll: perField, latent: latentParts(scores, perField) };
  }

  sample(encoder: FlowEncoder, count: number, seed: number): FlowTable {
    return sampleFlows(this, encoder, count, seed);
  }

  /**
   * Decoder logits (one row over all fields' codes) for latent rows `z`: one-hot components
   * for a mixture, points of the latent space for a Gaussian. What sampling flows needs.
   */
  decodeLogits(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.decode(z));
  }

  /** The weights as one flat vector in manifest order. */
  getWeights(): Float32Array {
    const parts = this.variables.map((v) => v.dataSync() as Float32Array);
    const flat = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      flat.set(p, at);
      at += p.length;
    }
    return flat;
  }

  setWeights(flat: Float32Array): void {
    this.forgetComponentTable();
    const tensors = unflatten(flat, this.spec.weights, 'model weights');
    tensors.forEach((t, i) => {
      this.variables[i]!.assign(t);
      t.dispose();
    });
  }

  dispose(): void {
    this.forgetComponentTable();
    for (const v of this.variables) v.dispose();
    this.segments.dispose();
  }

  private encode(x: tf.Tensor2D): tf.Tensor2D {
    let h = x;
    this.encoderLayers.forEach((layer, i) => {
      h = tf.relu(dense(h, layer.kernel, layer.bias, i > 0));
    });
    return h;
  }

  private decode(z: tf.Tensor2D): tf.Tensor2D {
    let h = z;
    for (const layer of this.decoderLayers) h = tf.relu(dense(h, layer.kernel, layer.bias, true));
    return dense(h, this.outputLayer.kernel, this.outputLayer.bias, true);
  }

  private gaussianPosterior(h: tf.Tensor2D, dim: number) {
    const stats = dense(
      h,
      this.latentLayer.kernel,
      this.latentLayer.bias,
      this.encoderLayers.length > 0,
    );
    const mu = tf.slice(stats, [0, 0], [-1, dim]) as tf.Tensor2D;
    // Bounded log-variance keeps exp() finite early in training.
    const logVar = tf.clipByValue(tf.slice(stats, [0, dim], [-1, dim]), -12, 8) as tf.Tensor2D;
    return { mu, logVar };
  }

  private scoreGaussian(rows: MultiHotRows, options: ScoreOptions): [tf.Tensor1D, tf.Tensor2D] {
    const x = multiHotTensor(rows);
    try {
      return tf.tidy(() => this.scoreGaussianDense(x, options));
    } finally {
      x.dispose();
    }
  }

  private scoreGaussianDense(x: tf.Tensor2D, options: ScoreOptions): [tf.Tensor1D, tf.Tensor2D] {
    const dim = latentWidth(this.spec.architecture);
    const { mu, logVar } = this.gaussianPosterior(this.encode(x), dim);
    // Reconstruction at the posterior mean: deterministic, and the usual VAE scoring choice.
    const fieldNll = this.segments.fieldNegLogLikelihood(this.decode(mu), x);
    const samples = options.importanceSamples ?? 0;
    if (samples <= 0)
      return [tf.add(tf.sum(fieldNll, 1), gaussianKl(mu, logVar)) as tf.Tensor1D, fieldNll];
    const sigma = tf.exp(tf.mul(logVar, 0.5));
    const logWeights: tf.Tensor1D[] = [];
    for (let k = 0; k < samples; k++) {
      const eps = tf.randomNormal(mu.shape, 0, 1, 'float32', (options.seed ?? 0) * 7919 + k);
      const z = tf.add(mu, tf.mul(sigma, eps)) as tf.Tensor2D;
      const logPrior = tf.mul(tf.sum(tf.square(z), 1), -0.5);
      const logPosterior = tf.sub(
        tf.mul(tf.sum(tf.square(eps), 1), -0.5),
        tf.mul(tf.sum(logVar, 1), 0.5),
      );
      const nll = this.segments.negLogLikelihood(this.decode(z), x);
      logWeights.push(tf.sub(tf.sub(logPrior, logPosterior), nll));
    }
    const bound = tf.sub(tf.logSumExp(tf.stack(logWeights, 1), 1), Math.log(samples));
    return [tf.neg(bound) as tf.Tensor1D, fieldNll];
  }

  /** log p(x | c) for every row and component: [batch x K]. */
  private componentLogLikelihoods(x: tf.Tensor2D): tf.Tensor2D {
    const components = latentWidth(this.spec.architecture);
    const table = this.decode(tf.eye(components) as tf.Tensor2D); // [K x width]
    return tf.sub(
      dataTimesTransposed(x, table),
      tf.sum(this.segments.logNormalisers(table), 1),
    ) as tf.Tensor2D;
  }

  /**
   * With a discrete latent the expectation over components is exact: no sampling at all. The
   * decoder's output for each component depends on the weights only, so it is computed once
   * per set of weights ({@link componentTable}), not once per batch. Every product with the
   * multi-hot rows is a multi-hot kernel's sum of matrix rows.
   */
  private scoreMixture(rows: MultiHotRows, options: ScoreOptions): [tf.Tensor1D, tf.Tensor2D] {
    const components = latentWidth(this.spec.architecture);
    const cache = this.componentTable();
    const alpha = this.encodeRows(rows, cache.firstKernel);
    const logQ = tf.logSoftmax(alpha);
    const q = tf.exp(logQ);
    const likelihoods = multiHotTimes(rows, cache.tableT, components);
    const logPxGivenC = tf.sub(tf.tensor2d(likelihoods, [rows.count, components]), cache.logZ);
    // Each field's expected logit at its observed code: the row's mixture of logits, picked at
    // the row's columns.
    const observed = pickColumns(tf.matMul(q, cache.table), rows);
    const fieldNll = tf.sub(tf.matMul(q, cache.logNorm), observed) as tf.Tensor2D;
    if ((options.importanceSamples ?? 0) > 0) {
      const logPx = tf.sub(tf.logSumExp(logPxGivenC, 1), Math.log(components));
      return [tf.neg(logPx) as tf.Tensor1D, fieldNll];
    }
    // Expected NLL plus KL(q || uniform), summed apart: one sum of their difference loses
    // more float32 precision where log p(x | c) is large (up to 3.5e-4 nats on a fresh model).
    const expectedNll = tf.neg(tf.sum(tf.mul(q, logPxGivenC), 1));
    const kl = tf.sum(tf.mul(q, tf.add(logQ, Math.log(components))), 1);
    return [tf.add(expectedNll, kl) as tf.Tensor1D, fieldNll];
  }

  /** The mixture's logits alpha for multi-hot rows: the first layer by the multi-hot kernel. */
  private encodeRows(rows: MultiHotRows, firstKernel: Float32Array): tf.Tensor2D {
    const [first, ...rest] = [...this.encoderLayers, this.latentLayer];
    const width = first!.bias.shape[0];
    const product = tf.tensor2d(multiHotTimes(rows, firstKernel, width), [rows.count, width]);
    let h = tf.add(product, first!.bias) as tf.Tensor2D;
    for (const layer of rest) h = tf.add(tf.matMul(tf.relu(h), layer.kernel), layer.bias);
    return h;
  }

  /**
   * What scoring keeps per set of weights: the decoder's logits per component and their
   * normalisers, and (as arrays, for the multi-hot kernels) the table's transpose and the
   * first layer's kernel.
   */
  private componentTable(): ComponentTable {
    if (!this.components) {
      const tensors = tf.tidy(() => {
        const k = latentWidth(this.spec.architecture);
        const table = this.decode(tf.eye(k) as tf.Tensor2D); // [K x width]
        const logNorm = this.segments.logNormalisers(table); // [K x fields]
        return { table, logNorm, logZ: tf.sum(logNorm, 1) as tf.Tensor1D };
      });
      // Kept: scoring calls this inside its own tidy, which would otherwise dispose them.
      for (const t of Object.values(tensors)) tf.keep(t);
      const transposed = tf.transpose(tensors.table);
      const tableT = transposed.dataSync() as Float32Array;
      transposed.dispose();
      const first = this.encoderLayers[0] ?? this.latentLayer;
      const firstKernel = first.kernel.dataSync() as Float32Array;
      this.components = { ...tensors, tableT, firstKernel };
    }
    return this.components;
  }

  private forgetComponentTable(): void {
    if (this.components)
      for (const t of [this.components.table, this.components.logNorm, this.components.logZ])
        t.dispose();
    this.components = null;
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
  const all = values.dataSync();
  const picked = new Float32Array(count * fields);
  for (let r = 0; r < count; r++)
    for (let f = 0; f < fields; f++)
      picked[r * fields + f] = all[r * width + columns[r * fields + f]!]!;
  return tf.tensor2d(picked, [count, fields]);
}

let nextId = 0;
function uniqueId(): number {
  return nextId++;
}
