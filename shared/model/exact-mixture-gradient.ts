/**
 * The mixture VAE's exact objective (the sum over all K components, no sampling) and its
 * gradient, written out by hand. Autograd records ~200 kernels per step for this model, most of
 * them tiny element-wise ops whose dispatch costs more than their arithmetic; the chain rule
 * written once needs about 60. Every product with the multi-hot batch (the first layer, its
 * weight gradient, the per-component likelihoods and their gradient) is a sum of one matrix row
 * per field, done by the multi-hot kernels instead of a dense matMul over mostly zeros.
 * test/unit/model checks it against autograd on the same weights.
 *
 * Per row, with q = softmax(alpha) over components and l_c = log p(x | c):
 *   loss = sum_c q_c * f_c,  f_c = -l_c + klWeight * (log q_c + log K)
 *   d loss / d alpha = q * (f - sum_c q_c f_c),   d loss / d l_c = -q_c
 * and l_c = x . table_c - logZ_c, where table = decoder(one-hot c) and logZ_c sums the
 * per-field log-normalisers, so d l_c / d table_c = x - (per-field softmax of table_c).
 */
import {
  type MultiHotRows,
  multiHotLayerGradients,
  multiHotTimes,
  multiHotTransposeTimes,
} from '../kernels/multi-hot-kernel.js';
import { tf } from '../runtime/tf.js';
import { type FieldSegments, TINY } from './categorical-likelihood.js';

export interface DenseLayer {
  readonly kernel: tf.Tensor2D;
  readonly bias: tf.Tensor1D;
}

export interface MixtureLayers {
  readonly encoder: readonly DenseLayer[];
  readonly latent: DenseLayer;
  readonly decoder: readonly DenseLayer[];
  readonly output: DenseLayer;
}

/**
 * The mean loss over the batch and its gradient: one flat vector, the gradient in weight
 * manifest order (encoder, latent, decoder, output; kernel then bias) followed by the loss.
 */
export function exactMixtureGradient(
  layers: MixtureLayers,
  segments: FieldSegments,
  rows: MultiHotRows,
  klWeight: number,
): tf.Tensor1D {
  return tf.tidy(() => {
    const encoderLayers = [...layers.encoder, layers.latent];
    const decoderLayers = [...layers.decoder, layers.output];
    const encoder = forwardChain(encoderLayers, multiHotInput(rows));
    // The decoder runs on the K one-hot rows (identity input): its output is the table of
    // every component's logits, [K x width].
    const decoder = forwardChain(decoderLayers, IDENTITY_INPUT);
    const { loss, dAlpha, dTable } = mixtureObjective(
      encoder.output,
      decoder.output,
      segments,
      rows,
      klWeight,
    );
    const grads = [
      ...backwardChain(encoderLayers, encoder, dAlpha),
      ...backwardChain(decoderLayers, decoder, dTable),
    ];
    return tf.concat([
      ...grads.map((t) => tf.reshape(t, [-1])),
      tf.reshape(loss, [1]),
    ]) as tf.Tensor1D;
  });
}

/** What a chain's first layer multiplies: its input times a kernel, and that layer's gradients. */
interface FirstInput {
  /** input · kernel */
  times(kernel: tf.Tensor2D): tf.Tensor2D;
  /** The first layer's kernel and bias gradients, inputᵀ · dPre and the column sums of dPre. */
  gradients(dPre: tf.Tensor2D): [tf.Tensor2D, tf.Tensor1D];
}

/** The decoder's input, the K one-hot components: times the kernel is the kernel. */
const IDENTITY_INPUT: FirstInput = {
  times: (kernel) => kernel,
  gradients: (dPre) => [dPre, tf.sum(dPre, 0)],
};

/** The encoder's input, the multi-hot batch, multiplied by the multi-hot kernels. */
function multiHotInput(rows: MultiHotRows): FirstInput {
  return {
    times: (kernel) => timesRows(rows, kernel),
    gradients: (dPre) => {
      const cols = dPre.shape[1];
      const grads = multiHotLayerGradients(rows, dPre.dataSync() as Float32Array, cols);
      return [tf.tensor2d(grads.kernel, [rows.width, cols]), tf.tensor1d(grads.bias)];
    },
  };
}

/** Dense layers with ReLU between them (not after the last), and what backward needs. */
interface Chain {
  readonly first: FirstInput;
  /** Each layer's input after the first (the previous layer's output). */
  readonly outputs: tf.Tensor2D[];
  readonly output: tf.Tensor2D;
}

function forwardChain(layers: readonly DenseLayer[], first: FirstInput): Chain {
  const outputs: tf.Tensor2D[] = [];
  let h: tf.Tensor2D | null = null;
  layers.forEach((layer, i) => {
    const product = h ? tf.matMul(h, layer.kernel) : first.times(layer.kernel);
    const pre = tf.add(product, layer.bias) as tf.Tensor2D;
    h = i < layers.length - 1 ? (tf.relu(pre) as tf.Tensor2D) : pre;
    outputs.push(h);
  });
  return { first, outputs, output: h! };
}

/** Kernel and bias gradients of every layer of `chain` (in layer order) given the gradient of its output. */
function backwardChain(
  layers: readonly DenseLayer[],
  chain: Chain,
  dOutput: tf.Tensor2D,
): tf.Tensor[] {
  const grads: tf.Tensor[] = [];
  let dPre = dOutput;
  for (let j = layers.length - 1; j >= 0; j--) {
    const input = j > 0 ? chain.outputs[j - 1]! : null;
    grads.unshift(
      ...(input
        ? [tf.matMul(tf.transpose(input), dPre), tf.sum(dPre, 0)]
        : chain.first.gradients(dPre)),
    );
    if (!input) break;
    const dInput = tf.matMul(dPre, tf.transpose(layers[j]!.kernel));
    dPre = tf.mul(dInput, tf.step(input)) as tf.Tensor2D; // through the ReLU
  }
  return grads;
}

/**
 * The exact mixture objective from the encoder's logits `alpha` [B x K] and the decoder's
 * `table` [K x width]: the mean loss and its gradients with respect to both.
 */
function mixtureObjective(
  alpha: tf.Tensor2D,
  table: tf.Tensor2D,
  segments: FieldSegments,
  rows: MultiHotRows,
  klWeight: number,
) {
  const [count, components] = alpha.shape;

  const logQ = tf.logSoftmax(alpha);
  const q = tf.exp(logQ);
  const rowMax = tf.max(table, 1, true);
  const e = tf.exp(tf.sub(table, rowMax));
  const normalisers = tf.add(tf.matMul(e, segments.segment), TINY); // [K x fields]
  const logZ = tf.add(
    tf.sum(tf.log(normalisers), 1),
    tf.mul(tf.squeeze(rowMax, [1]), segments.fieldCount),
  ); // [K]
  const logLik = tf.sub(timesRows(rows, tf.transpose(table)), logZ); // [B x K]
  const f = tf.sub(tf.mul(tf.add(logQ, Math.log(components)), klWeight), logLik);
  const qf = tf.mul(q, f);
  const rowLoss = tf.sum(qf, 1, true);
  // Gradients already divided by the batch size (the loss is a mean).
  const dAlpha = tf.mul(tf.sub(qf, tf.mul(q, rowLoss)), 1 / count) as tf.Tensor2D;
  const dLogLik = tf.mul(q, -1 / count) as tf.Tensor2D;
  const softmax = tf.div(e, tf.matMul(normalisers, segments.segmentT)); // per field, [K x width]
  const dTable = tf.sub(
    tf.transpose(rowsTransposeTimes(rows, dLogLik)),
    tf.mul(softmax, tf.expandDims(tf.sum(dLogLik, 0), 1)),
  ) as tf.Tensor2D;
  return { loss: tf.mean(rowLoss), dAlpha, dTable };
}

/** X M for the multi-hot rows X: [count x cols]. */
function timesRows(rows: MultiHotRows, m: tf.Tensor2D): tf.Tensor2D {
  const cols = m.shape[1];
  return tf.tensor2d(multiHotTimes(rows, m.dataSync() as Float32Array, cols), [rows.count, cols]);
}

/** Xᵀ D for the multi-hot rows X: [width x cols]. */
function rowsTransposeTimes(rows: MultiHotRows, d: tf.Tensor2D): tf.Tensor2D {
  const cols = d.shape[1];
  const product = multiHotTransposeTimes(rows, d.dataSync() as Float32Array, cols);
  return tf.tensor2d(product, [rows.width, cols]);
}
