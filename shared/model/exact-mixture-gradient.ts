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
import * as tf from '@tensorflow/tfjs';
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
    const rows = x.shape[0];
    const components = layers.latent.kernel.shape[1];
    // Encoder: activations kept for the backward pass.
    const inputs: tf.Tensor2D[] = [];
    let h = x;
    for (const layer of layers.encoder) {
      inputs.push(h);
      h = tf.relu(tf.add(tf.matMul(h, layer.kernel), layer.bias)) as tf.Tensor2D;
    }
    const alpha = tf.add(tf.matMul(h, layers.latent.kernel), layers.latent.bias) as tf.Tensor2D;
    const logQ = tf.logSoftmax(alpha);
    const q = tf.exp(logQ);
    // Decoder on the K one-hot rows: the first layer's input is the identity, so its output is
    // its kernel plus bias, no matMul needed.
    const decoderInputs: (tf.Tensor2D | null)[] = [];
    let g: tf.Tensor2D | null = null;
    for (const layer of layers.decoder) {
      decoderInputs.push(g);
      const pre: tf.Tensor = g
        ? tf.add(tf.matMul(g, layer.kernel), layer.bias)
        : tf.add(layer.kernel, layer.bias);
      g = tf.relu(pre) as tf.Tensor2D;
    }
    const table = (
      g
        ? tf.add(tf.matMul(g, layers.output.kernel), layers.output.bias)
        : tf.add(layers.output.kernel, layers.output.bias)
    ) as tf.Tensor2D; // [K x width]
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
    const loss = tf.mean(rowLoss);

    // Backward, every gradient already divided by the batch size (the loss is a mean).
    const dAlpha = tf.mul(tf.sub(qf, tf.mul(q, rowLoss)), 1 / rows) as tf.Tensor2D;
    const dLogLik = tf.mul(q, -1 / rows) as tf.Tensor2D;
    const softmax = tf.div(e, tf.matMul(normalisers, segments.segmentT)); // per field, [K x width]
    const dTable = tf.sub(
      tf.transpose(tf.matMul(xT, dLogLik)),
      tf.mul(softmax, tf.expandDims(tf.sum(dLogLik, 0), 1)),
    ) as tf.Tensor2D;

    const grads: tf.Tensor[] = [];
    // Output and decoder layers, last to first (collected in reverse, reversed below).
    const decoderGrads: tf.Tensor[] = [];
    let dOut = dTable; // gradient w.r.t. the output of the layer being processed
    const outputIn = g;
    decoderGrads.push(tf.sum(dOut, 0));
    decoderGrads.push(outputIn ? tf.matMul(tf.transpose(outputIn), dOut) : dOut);
    let dg = outputIn ? tf.matMul(dOut, tf.transpose(layers.output.kernel)) : null;
    let activation = outputIn;
    for (let j = layers.decoder.length - 1; j >= 0; j--) {
      const dPre = tf.mul(dg!, tf.step(activation!)) as tf.Tensor2D;
      const input = decoderInputs[j]!;
      decoderGrads.push(tf.sum(dPre, 0));
      decoderGrads.push(input ? tf.matMul(tf.transpose(input), dPre) : dPre);
      dg = input ? tf.matMul(dPre, tf.transpose(layers.decoder[j]!.kernel)) : null;
      activation = input;
      dOut = dPre;
    }
    // Latent head and encoder, last to first.
    const encoderGrads: tf.Tensor[] = [];
    encoderGrads.push(tf.sum(dAlpha, 0));
    encoderGrads.push(
      layers.encoder.length > 0 ? tf.matMul(tf.transpose(h), dAlpha) : tf.matMul(xT, dAlpha),
    );
    let dh =
      layers.encoder.length > 0 ? tf.matMul(dAlpha, tf.transpose(layers.latent.kernel)) : null;
    for (let i = layers.encoder.length - 1; i >= 0; i--) {
      const output = i === layers.encoder.length - 1 ? h : inputs[i + 1]!;
      const dPre = tf.mul(dh!, tf.step(output)) as tf.Tensor2D;
      encoderGrads.push(tf.sum(dPre, 0));
      encoderGrads.push(i === 0 ? tf.matMul(xT, dPre) : tf.matMul(tf.transpose(inputs[i]!), dPre));
      dh = i > 0 ? tf.matMul(dPre, tf.transpose(layers.encoder[i]!.kernel)) : null;
    }
    // Both lists hold bias, kernel pairs from the last layer back: reverse into manifest order.
    grads.push(...encoderGrads.reverse(), ...decoderGrads.reverse());
    return tf.concat([
      ...grads.map((t) => tf.reshape(t, [-1])),
      tf.reshape(loss, [1]),
    ]) as tf.Tensor1D;
  });
}
