/**
 * The mixture VAE's exact objective (the sum over all K components, no sampling) and its
 * gradient, written out by hand. Autograd records ~200 kernels per step for this model, most of
 * them tiny element-wise ops whose dispatch costs more than their arithmetic; the chain rule
 * written once needs about 60, and lets the one-hot data enter the weight gradients as a
 * transposed copy built in JavaScript instead of a Transpose kernel. test/unit/model checks it
 * against autograd on the same weights.
 *
 * Per row, with q = softmax(alpha) over components and l_c = log p(x | c):
 *   loss = sum_c q_c * f_c,  f_c = -l_c + klWeight * (log q_c + log K)
 *   d loss / d alpha = q * (f - sum_c q_c f_c),   d loss / d l_c = -q_c
 * and l_c = x . table_c - logZ_c, where table = decoder(one-hot c) and logZ_c sums the
 * per-field log-normalisers, so d l_c / d table_c = x - (per-field softmax of table_c).
 */
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
 * `x` is the multi-hot batch [B x width] and `xT` its transpose (built beside it, no kernel).
 */
export function exactMixtureGradient(
  layers: MixtureLayers,
  segments: FieldSegments,
  x: tf.Tensor2D,
  xT: tf.Tensor2D,
  klWeight: number,
): tf.Tensor1D {
  return tf.tidy(() => {
    const encoderLayers = [...layers.encoder, layers.latent];
    const decoderLayers = [...layers.decoder, layers.output];
    const encoder = forwardChain(encoderLayers, x);
    // The decoder runs on the K one-hot rows (identity input): its output is the table of
    // every component's logits, [K x width].
    const decoder = forwardChain(decoderLayers, null);
    const { loss, dAlpha, dTable } = mixtureObjective(
      encoder.output,
      decoder.output,
      segments,
      x,
      xT,
      klWeight,
    );
    const grads = [
      ...backwardChain(encoderLayers, encoder, dAlpha, xT),
      ...backwardChain(decoderLayers, decoder, dTable, null),
    ];
    return tf.concat([
      ...grads.map((t) => tf.reshape(t, [-1])),
      tf.reshape(loss, [1]),
    ]) as tf.Tensor1D;
  });
}

/** Dense layers with ReLU between them (not after the last), and what backward needs. */
interface Chain {
  /** Each layer's input; null where it is the identity (the decoder's one-hot components). */
  readonly inputs: (tf.Tensor2D | null)[];
  /** Each layer's output (after its ReLU). */
  readonly outputs: tf.Tensor2D[];
  readonly output: tf.Tensor2D;
}

function forwardChain(layers: readonly DenseLayer[], input: tf.Tensor2D | null): Chain {
  const inputs: (tf.Tensor2D | null)[] = [];
  const outputs: tf.Tensor2D[] = [];
  let h = input;
  layers.forEach((layer, i) => {
    inputs.push(h);
    // An identity input times the kernel is the kernel: no matMul.
    const pre = tf.add(h ? tf.matMul(h, layer.kernel) : layer.kernel, layer.bias) as tf.Tensor2D;
    h = i < layers.length - 1 ? (tf.relu(pre) as tf.Tensor2D) : pre;
    outputs.push(h);
  });
  return { inputs, outputs, output: h! };
}

/**
 * Kernel and bias gradients of every layer of `chain` (in layer order) given the gradient of
 * its output. `firstInputT` is the first input's transpose when the caller has it.
 */
function backwardChain(
  layers: readonly DenseLayer[],
  chain: Chain,
  dOutput: tf.Tensor2D,
  firstInputT: tf.Tensor2D | null,
): tf.Tensor[] {
  const grads: tf.Tensor[] = [];
  let dPre = dOutput;
  for (let j = layers.length - 1; j >= 0; j--) {
    const input = chain.inputs[j]!;
    const inputT = j === 0 && firstInputT ? firstInputT : input && tf.transpose(input);
    grads.unshift(inputT ? tf.matMul(inputT, dPre) : dPre, tf.sum(dPre, 0));
    if (j === 0 || !input) break;
    const dInput = tf.matMul(dPre, tf.transpose(layers[j]!.kernel));
    dPre = tf.mul(dInput, tf.step(chain.outputs[j - 1]!)) as tf.Tensor2D; // through the ReLU
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
  x: tf.Tensor2D,
  xT: tf.Tensor2D,
  klWeight: number,
) {
  const [rows, components] = alpha.shape;
  const logQ = tf.logSoftmax(alpha);
  const q = tf.exp(logQ);
  const rowMax = tf.max(table, 1, true);
  const e = tf.exp(tf.sub(table, rowMax));
  const normalisers = tf.add(tf.matMul(e, segments.segment), TINY); // [K x fields]
  const logZ = tf.add(
    tf.sum(tf.log(normalisers), 1),
    tf.mul(tf.squeeze(rowMax, [1]), segments.fieldCount),
  ); // [K]
  const logLik = tf.sub(tf.matMul(x, tf.transpose(table)), logZ); // [B x K]
  const f = tf.sub(tf.mul(tf.add(logQ, Math.log(components)), klWeight), logLik);
  const qf = tf.mul(q, f);
  const rowLoss = tf.sum(qf, 1, true);
  // Gradients already divided by the batch size (the loss is a mean).
  const dAlpha = tf.mul(tf.sub(qf, tf.mul(q, rowLoss)), 1 / rows) as tf.Tensor2D;
  const dLogLik = tf.mul(q, -1 / rows) as tf.Tensor2D;
  const softmax = tf.div(e, tf.matMul(normalisers, segments.segmentT)); // per field, [K x width]
  const dTable = tf.sub(
    tf.transpose(tf.matMul(xT, dLogLik)),
    tf.mul(softmax, tf.expandDims(tf.sum(dLogLik, 0), 1)),
  ) as tf.Tensor2D;
  return { loss: tf.mean(rowLoss), dAlpha, dTable };
}
