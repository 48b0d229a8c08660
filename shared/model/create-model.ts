/** Creates a fresh model (spec + seeded initial weights) for a schema and a fitted encoder. */
import type { EncoderSpec } from '../encoding/encoder-spec.js';
import { FlowEncoder } from '../encoding/flow-encoder.js';
import type { FlowSchema } from '../flows/schema.js';
import { ganManifest } from './gan/gan-layers.js';
import { gruManifest } from './gru/gru-layers.js';
import type { ArchitectureSpec, ModelKind, ModelSpec, WeightEntry } from './model-spec.js';
import { initialWeights, weightManifest } from './parameters.js';

export interface FreshModel {
  readonly spec: ModelSpec;
  readonly weights: Float32Array;
}

export function createModel(
  schema: FlowSchema,
  encoder: EncoderSpec,
  architecture: ArchitectureSpec,
  seed: number,
  kind: ModelKind = 'categorical-vae',
): FreshModel {
  const width = new FlowEncoder(encoder).width;
  const weights = manifestFor(kind, architecture, width);
  const spec: ModelSpec = {
    format: 'fedflow-model',
    version: 1,
    kind,
    schema,
    encoder,
    architecture,
    weights,
  };
  return { spec, weights: initialWeights(weights, seed, architecture.latent) };
}

/** The weight manifest a kind of model has for an architecture over `width` one-hot inputs. */
export function manifestFor(
  kind: ModelKind,
  architecture: ArchitectureSpec,
  width: number,
): WeightEntry[] {
  switch (kind) {
    case 'categorical-vae':
      return weightManifest(architecture, width);
    case 'alad-gan':
      return ganManifest(architecture, width);
    case 'gru':
      return gruManifest(architecture, width);
  }
}
