/**
 * The categorical VAE: multi-hot flows in, an MLP encoder, a Gaussian latent or a categorical
 * one (a mixture of K components: uniform weights, trained on relaxed Gumbel-softmax samples
 * or the exact sum; or stick-breaking weights learned from the data), an MLP decoder to one
 * softmax head per field. Anomaly score is the negative ELBO in nats; it splits into per-field
 * terms that explain an alert.
 */
import type { FlowEncoder } from '../encoding/flow-encoder.js';
import type { FlowTable } from '../encoding/flow-table.js';
import { tf } from '../runtime/tf.js';
import { FieldSegments } from './categorical-likelihood.js';
import { dataTimesTransposed, dense } from './dense.js';
import type { BatchScores, DetectorModel, LossSettings, ScoreOptions } from './detector-model.js';
import { exactMixtureGradient } from './exact-mixture-gradient.js';
import { categoricalKl, gaussianKl, latentParts, mixtureKl } from './latent-terms.js';
import { type Layer, MixtureScorer } from './mixture-score.js';
import type { MixtureObjective, ModelSpec } from './model-spec.js';
import { type MultiHotRows, multiHotTensor } from './multi-hot.js';
import {
  assignFlat,
  flattenVariables,
  type LayerRole,
  latentWidth,
  unflatten,
  vaeLayers,
} from './parameters.js';
import { sampleFlows } from './sample-flows.js';
import { logMixtureWeights, mixtureWeights, stickPriorTerm } from './stick-breaking.js';

export type { BatchScores, LossSettings, MixtureObjective, ScoreOptions };

export class CategoricalVae implements DetectorModel {
  readonly variables: tf.Variable[];
  readonly segments: FieldSegments;
  private readonly encoderLayers: Layer[];
  private readonly latentLayer: Layer;
  private readonly decoderLayers: Layer[];
  private readonly outputLayer: Layer;
  /** A stick-breaking latent's K - 1 stick logits (the manifest's last entry), else null. */
  private readonly sticks: tf.Variable<tf.Rank.R1> | null;
  /** Scores a discrete latent (both mixtures). */
  private readonly mixture: MixtureScorer;

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
    const sticksAt = 2 * (this.encoderLayers.length + this.decoderLayers.length + 2);
    this.sticks =
      spec.architecture.latent.kind === 'stick-breaking'
        ? (this.variables[sticksAt] as tf.Variable<tf.Rank.R1>)
        : null;
    this.mixture = new MixtureScorer({
      encoderLayers: this.encoderLayers,
      latentLayer: this.latentLayer,
      segments: this.segments,
      components: this.components,
      decode: (z) => this.decode(z),
    });
  }

  /** Components of a discrete latent (the Gaussian's dimension otherwise). */
  get components(): number {
    return latentWidth(this.spec.architecture);
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
      } else if (latent.kind === 'stick-breaking' || settings.mixtureObjective === 'exact') {
        // Sum over all K components instead of sampling one: the decoder runs on K rows only.
        const alpha = dense(h, this.latentLayer.kernel, this.latentLayer.bias, true);
        const expectedNll = tf.neg(
          tf.sum(tf.mul(tf.softmax(alpha), this.componentLogLikelihoods(x)), 1),
        );
        const kl = mixtureKl(alpha, this.logPrior());
        const perRow = tf.mean(tf.add(expectedNll, tf.mul(kl, settings.klWeight)));
        if (latent.kind !== 'stick-breaking') return perRow as tf.Scalar;
        // The sticks' prior is paid once per data set: each row carries 1 / N of it.
        const prior = stickPriorTerm(this.sticks!, latent.concentration);
        return tf.add(perRow, tf.div(prior, settings.trainingRows ?? rows)) as tf.Scalar;
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
        : tf.tidy(() => this.mixture.score(rows, this.logPrior(), options));
    const scores = score.dataSync() as Float32Array;
    const perField = fieldNll.dataSync() as Float32Array;
    score.dispose();
    fieldNll.dispose();
    return { scores, fieldNll: perField, latent: latentParts(scores, perField) };
  }

  sample(encoder: FlowEncoder, count: number, seed: number): FlowTable {
    return sampleFlows(this, encoder, count, seed);
  }

  /** A discrete latent's weights pi over components (uniform for the fixed mixture). */
  mixtureWeights(): Float32Array {
    if (this.sticks) return mixtureWeights(this.sticks);
    return new Float32Array(this.components).fill(1 / this.components);
  }

  /** A discrete latent's posterior q(c | x) for multi-hot rows: [rows x K], read back. */
  posterior(rows: MultiHotRows): Float32Array {
    const q = tf.tidy(() => tf.softmax(this.mixture.logits(rows)));
    const values = q.dataSync() as Float32Array;
    q.dispose();
    return values;
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
    return flattenVariables(this.variables);
  }

  setWeights(flat: Float32Array): void {
    this.mixture.forget();
    assignFlat(this.variables, flat, this.spec.weights);
  }

  dispose(): void {
    this.mixture.forget();
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

  /** log pi over a discrete latent's components: learned sticks, or uniform. */
  private logPrior(): tf.Tensor1D {
    if (this.sticks) return logMixtureWeights(this.sticks);
    return tf.fill([this.components], -Math.log(this.components)) as tf.Tensor1D;
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
}

let nextId = 0;
function uniqueId(): number {
  return nextId++;
}
