/**
 * The ALAD objectives (Zenati et al. 2018, "Adversarially Learned Anomaly Detection") on the
 * multi-hot encoding. Real x is a row of one-hots; the generator's x is its per-field softmax
 * probabilities (a discriminator sees a point of each field's simplex either way).
 *
 * - D_xz tells (x, E(x)) from (G(z), z): the BiGAN game that makes E invert G.
 * - D_xx tells (x, x) from (x, G(E(x))): ALAD's cycle consistency in data space.
 * - D_zz tells (z, z) from (z, E(G(z))): the same in latent space.
 * The discriminators minimise their cross-entropy; encoder and generator minimise it with the
 * labels flipped (the non-saturating form ALAD's code uses), plus RECONSTRUCTION_WEIGHT times
 * the reconstruction's negative log-likelihood (see that constant for why).
 */
import { tf } from '../../runtime/tf.js';
import { type FieldSegments, TINY } from '../categorical-likelihood.js';
import { dense } from '../dense.js';

type Layer = { kernel: tf.Variable<tf.Rank.R2>; bias: tf.Variable<tf.Rank.R1> };
export type Network = readonly Layer[];

export interface GanNetworks {
  readonly encoder: Network;
  readonly generator: Network;
  readonly dxz: Network;
  readonly dxx: Network;
  readonly dzz: Network;
}

/**
 * Weight of the reconstruction NLL in the encoder/generator objective. Pure ALAD (0) learns
 * cycle consistency only through D_xx, which on categorical rows is slow and unstable: a
 * discriminator tells soft probabilities from one-hots at once, so its gradient says little
 * about which category to reconstruct. The explicit term (as in later ALAD variants that add a
 * reconstruction loss) makes G(E(x)) fit x within the training steps a VAE gets; the
 * adversarial terms still shape the latent code and the generator. Fixed here, not a setting,
 * so every site that trains the kind trains the same objective.
 */
export const RECONSTRUCTION_WEIGHT = 1;

/** ALAD's leaky ReLU slope. */
const LEAK = 0.2;

/** Runs an MLP: leaky ReLU hidden layers, a linear last layer. Also returns the last hidden activations. */
export function runNetwork(
  net: Network,
  input: tf.Tensor2D,
  inputNeedsGrad: boolean,
): { out: tf.Tensor2D; features: tf.Tensor2D } {
  let h = input;
  let features = input;
  net.forEach((layer, i) => {
    const y = dense(h, layer.kernel, layer.bias, i > 0 || inputNeedsGrad);
    if (i === net.length - 1) h = y;
    else h = features = tf.leakyRelu(y, LEAK);
  });
  return { out: h, features };
}

/**
 * Each field's softmax over its slice of a logits row: [rows x width], rows of simplices.
 * In log space with TINY under the log (as categorical-likelihood.ts): a field whose logits
 * all sit ~88 nats below the row's maximum gets probabilities near 0 instead of 0 / 0, which
 * turned a bench run's weights to NaN.
 */
export function fieldSoftmax(logits: tf.Tensor2D, segments: FieldSegments): tf.Tensor2D {
  const rowMax = tf.max(logits, 1, true);
  const shifted = tf.sub(logits, rowMax);
  const logTotals = tf.log(tf.add(tf.matMul(tf.exp(shifted), segments.segment), TINY));
  return tf.exp(tf.sub(shifted, tf.matMul(logTotals, segments.segmentT))) as tf.Tensor2D;
}

/** A discriminator's logit for the pair (a, b), concatenated: [rows]. */
export function discriminate(net: Network, a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.squeeze(runNetwork(net, tf.concat([a, b], 1), true).out, [1]) as tf.Tensor1D;
}

/** Both players' mean objectives on a batch `x` (dense multi-hot) with prior draws `z`. */
export function ganObjectives(
  nets: GanNetworks,
  segments: FieldSegments,
  x: tf.Tensor2D,
  z: tf.Tensor2D,
): { discriminator: tf.Scalar; generator: tf.Scalar } {
  const zEncoded = runNetwork(nets.encoder, x, false).out;
  const reconstructionLogits = runNetwork(nets.generator, zEncoded, true).out;
  const xReconstructed = fieldSoftmax(reconstructionLogits, segments);
  const xGenerated = fieldSoftmax(runNetwork(nets.generator, z, true).out, segments);
  const zCycled = runNetwork(nets.encoder, xGenerated, true).out;
  const pairs = [
    // [logit of the real pair, logit of the fake pair]
    [discriminate(nets.dxz, x, zEncoded), discriminate(nets.dxz, xGenerated, z)],
    [discriminate(nets.dxx, x, x), discriminate(nets.dxx, x, xReconstructed)],
    [discriminate(nets.dzz, z, z), discriminate(nets.dzz, z, zCycled)],
  ] as const;
  // Sigmoid cross-entropy: label 1 costs softplus(-l), label 0 costs softplus(l).
  let discriminator = tf.scalar(0);
  let adversarial = tf.scalar(0);
  for (const [real, fake] of pairs) {
    discriminator = tf.add(
      discriminator,
      tf.mean(tf.add(tf.softplus(tf.neg(real)), tf.softplus(fake))),
    );
    adversarial = tf.add(
      adversarial,
      tf.mean(tf.add(tf.softplus(real), tf.softplus(tf.neg(fake)))),
    );
  }
  const reconstruction = tf.mean(segments.negLogLikelihood(reconstructionLogits, x));
  return {
    discriminator: discriminator as tf.Scalar,
    generator: tf.add(adversarial, tf.mul(reconstruction, RECONSTRUCTION_WEIGHT)) as tf.Scalar,
  };
}
