/**
 * The ALAD GAN's networks and their place in the one flat weight vector: encoder E(x) -> z,
 * generator G(z) -> per-field logits, and three joint discriminators D_xz(x, z), D_xx(x, x')
 * and D_zz(z, z'). Every network's weights sit in one manifest, so federation, model
 * directories and the optimiser carry the whole GAN as they carry a VAE.
 */
import type { ArchitectureSpec, WeightEntry } from '../model-spec.js';

/** Which network a layer belongs to; the discriminators are the adversary's weights. */
export type GanNetwork = 'encoder' | 'generator' | 'dxz' | 'dxx' | 'dzz';

export const DISCRIMINATORS: readonly GanNetwork[] = ['dxz', 'dxx', 'dzz'];

export interface GanLayerPlan {
  readonly name: string;
  readonly network: GanNetwork;
  readonly from: number;
  readonly to: number;
}

/** The GAN's latent: a standard normal prior of `dim` dimensions (no mixture prior). */
export function ganLatentDim(architecture: ArchitectureSpec): number {
  if (architecture.latent.kind !== 'gaussian')
    throw new Error(
      `an alad-gan model needs a gaussian latent (its prior is N(0, I)), got '${architecture.latent.kind}'`,
    );
  return architecture.latent.dim;
}

/**
 * The GAN's dense layers in weight order: encoder, generator (the encoder mirrored), then each
 * discriminator (its input is the pair, concatenated; hidden layers as the encoder's; one
 * logit). The one place this order is written: the manifest and the model both follow it.
 */
export function ganLayers(architecture: ArchitectureSpec, inputWidth: number): GanLayerPlan[] {
  const dim = ganLatentDim(architecture);
  const layers: GanLayerPlan[] = [];
  const network = (name: GanNetwork, from: number, widths: readonly number[]) => {
    let width = from;
    widths.forEach((to, i) => {
      const last = i === widths.length - 1;
      layers.push({ name: `${name}.${last ? 'out' : i}`, network: name, from: width, to });
      width = to;
    });
  };
  const { hidden } = architecture;
  network('encoder', inputWidth, [...hidden, dim]);
  network('generator', dim, [...[...hidden].reverse(), inputWidth]);
  network('dxz', inputWidth + dim, [...hidden, 1]);
  network('dxx', 2 * inputWidth, [...hidden, 1]);
  network('dzz', 2 * dim, [...hidden, 1]);
  return layers;
}

/** The weight manifest of an alad-gan over a one-hot input of `inputWidth` columns. */
export function ganManifest(architecture: ArchitectureSpec, inputWidth: number): WeightEntry[] {
  return ganLayers(architecture, inputWidth).flatMap(({ name, from, to }) => [
    { name: `${name}.kernel`, shape: [from, to] },
    { name: `${name}.bias`, shape: [to] },
  ]);
}
