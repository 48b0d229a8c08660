/**
 * The 'alad-gan' detector kind: an ALAD-style adversarially learned anomaly detector on the
 * same multi-hot encoding as the VAE, a baseline to compare the VAE with (docs/model.md).
 *
 * Training through the shared trainer: the trainer takes one flat gradient and one Adam step
 * per batch. lossAndGradient returns, in manifest order, the discriminators' gradient of their
 * own objective and the encoder's and generator's gradient of theirs, so one Adam step is one
 * simultaneous gradient step of both players (simultaneous rather than alternating updates, a
 * standard way to train GANs). Nothing in the trainer, FlatAdam, the second core or
 * federation changes: they see one flat vector, as for the VAE. It needs no autograd fallback,
 * so {@link AladGan.loss} is only the reported value (the two players' objectives summed), not
 * a function whose gradient trains the model.
 *
 * Anomaly score: each field's negative log-likelihood of its observed category under the
 * reconstruction softmax(G(E(x))), in nats, summed over fields; the latent part is 0.
 */
import type { FlowEncoder } from '../../encoding/flow-encoder.js';
import type { FlowTable } from '../../encoding/flow-table.js';
import { tf } from '../../runtime/tf.js';
import { FieldSegments } from '../categorical-likelihood.js';
import type { BatchScores, DetectorModel, LossSettings } from '../detector-model.js';
import type { ModelSpec } from '../model-spec.js';
import { type MultiHotRows, multiHotTensor } from '../multi-hot.js';
import { assignFlat, flattenVariables, unflatten } from '../parameters.js';
import { registerGradients } from '../register-gradients.js';
import { sampleFlows } from '../sample-flows.js';
import { DISCRIMINATORS, type GanNetwork, ganLatentDim, ganLayers } from './gan-layers.js';
import { fieldSoftmax, type GanNetworks, ganObjectives, runNetwork } from './gan-objectives.js';

type Layer = { kernel: tf.Variable<tf.Rank.R2>; bias: tf.Variable<tf.Rank.R1> };

let nextId = 0;

export class AladGan implements DetectorModel {
  readonly variables: tf.Variable[];
  readonly segments: FieldSegments;
  private readonly nets: GanNetworks;
  private readonly latentDim: number;
  /** Per variable: true for a discriminator's weights. */
  private readonly adversary: boolean[];

  constructor(
    readonly spec: ModelSpec,
    weights: Float32Array,
  ) {
    this.latentDim = ganLatentDim(spec.architecture);
    const tensors = unflatten(weights, spec.weights, 'model weights');
    const id = nextId++;
    this.variables = tensors.map((t, i) => {
      const v = tf.variable(t, true, `gan_${spec.weights[i]!.name}_${id}`);
      t.dispose();
      return v;
    });
    const cardinalities = spec.encoder.fields.map((f) =>
      f.kind === 'categorical' ? f.vocabulary.length + 1 : f.edges.length + 2,
    );
    const width = cardinalities.reduce((a, b) => a + b, 0);
    const nets: Record<GanNetwork, Layer[]> = {
      encoder: [],
      generator: [],
      dxz: [],
      dxx: [],
      dzz: [],
    };
    this.adversary = [];
    ganLayers(spec.architecture, width).forEach((layer, i) => {
      nets[layer.network].push({
        kernel: this.variables[2 * i] as tf.Variable<tf.Rank.R2>,
        bias: this.variables[2 * i + 1] as tf.Variable<tf.Rank.R1>,
      });
      const isAdversary = DISCRIMINATORS.includes(layer.network);
      this.adversary.push(isAdversary, isAdversary);
    });
    this.nets = nets;
    this.segments = new FieldSegments(cardinalities);
  }

  /** Both players' objectives summed: what the trainer reports, not what it differentiates. */
  loss(x: tf.Tensor2D, settings: LossSettings): tf.Scalar {
    return tf.tidy(() => {
      const { discriminator, generator } = ganObjectives(
        this.nets,
        this.segments,
        x,
        this.prior(x.shape[0], settings.seed),
      );
      return tf.add(discriminator, generator) as tf.Scalar;
    });
  }

  /**
   * One simultaneous step's gradient, flat in manifest order, then the summed objectives: the
   * discriminators' entries are the gradient of the discriminators' objective, the encoder's
   * and generator's of theirs (see the file comment). Never null.
   */
  lossAndGradient(rows: MultiHotRows, settings: LossSettings): tf.Tensor1D {
    registerGradients();
    const x = multiHotTensor(rows);
    try {
      return tf.tidy(() => {
        const z = this.prior(rows.count, settings.seed);
        const adversary = this.variables.filter((_, i) => this.adversary[i]);
        const players = this.variables.filter((_, i) => !this.adversary[i]);
        const d = tf.variableGrads(
          () => ganObjectives(this.nets, this.segments, x, z).discriminator,
          adversary,
        );
        const g = tf.variableGrads(
          () => ganObjectives(this.nets, this.segments, x, z).generator,
          players,
        );
        const parts = this.variables.map((v, i) =>
          tf.reshape((this.adversary[i] ? d.grads : g.grads)[v.name]!, [-1]),
        );
        return tf.concat([...parts, tf.reshape(tf.add(d.value, g.value), [1])]) as tf.Tensor1D;
      });
    } finally {
      x.dispose();
    }
  }

  /** Per-field NLL of each row under its reconstruction softmax(G(E(x))); latent part 0. */
  score(rows: MultiHotRows): BatchScores {
    const x = multiHotTensor(rows);
    const perField = tf.tidy(() => this.segments.fieldNegLogLikelihood(this.reconstruct(x), x));
    x.dispose();
    const fieldNll = perField.dataSync() as Float32Array;
    perField.dispose();
    const fields = rows.fields;
    const scores = new Float32Array(rows.count);
    for (let r = 0; r < rows.count; r++) {
      let sum = 0;
      for (let f = 0; f < fields; f++) sum += fieldNll[r * fields + f]!;
      scores[r] = sum;
    }
    return { scores, fieldNll, latent: new Float32Array(rows.count) };
  }

  /**
   * ALAD's own score, for comparison: the L1 distance between D_xx's last hidden features of
   * (x, x) and (x, G(E(x))), per row. Not part of {@link score} (it is not in nats and has no
   * per-field split).
   */
  featureDistance(rows: MultiHotRows): Float32Array {
    const x = multiHotTensor(rows);
    const distance = tf.tidy(() => {
      const reconstructed = fieldSoftmax(this.reconstruct(x), this.segments);
      const real = runNetwork(this.nets.dxx, tf.concat([x, x], 1), false).features;
      const fake = runNetwork(this.nets.dxx, tf.concat([x, reconstructed], 1), false).features;
      return tf.sum(tf.abs(tf.sub(real, fake)), 1);
    });
    x.dispose();
    const values = distance.dataSync() as Float32Array;
    distance.dispose();
    return values;
  }

  sample(encoder: FlowEncoder, count: number, seed: number): FlowTable {
    return sampleFlows(this, encoder, count, seed);
  }

  /** The generator's logits for latent rows `z` (what sampling needs). */
  decodeLogits(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => runNetwork(this.nets.generator, z, false).out);
  }

  /** Logits of the reconstruction G(E(x)). */
  reconstruct(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const z = runNetwork(this.nets.encoder, x, false).out;
      return runNetwork(this.nets.generator, z, false).out;
    });
  }

  getWeights(): Float32Array {
    return flattenVariables(this.variables);
  }

  setWeights(flat: Float32Array): void {
    assignFlat(this.variables, flat, this.spec.weights);
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
    this.segments.dispose();
  }

  /** Draws from the prior N(0, I), reproducible from `seed`. */
  private prior(rows: number, seed: number): tf.Tensor2D {
    return tf.randomNormal([rows, this.latentDim], 0, 1, 'float32', seed);
  }
}
