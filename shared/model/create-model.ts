/** Creates a fresh model (spec + seeded initial weights) for a schema and a fitted encoder. */
import type { EncoderSpec } from '../encoding/encoder-spec.js';
import { FlowEncoder } from '../encoding/flow-encoder.js';
import type { FlowSchema } from '../flows/schema.js';
import type { ArchitectureSpec, ModelSpec } from './model-spec.js';
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
): FreshModel {
  const width = new FlowEncoder(encoder).width;
  const weights = weightManifest(architecture, width);
  const spec: ModelSpec = {
    format: 'fedflow-model',
    version: 1,
    kind: 'categorical-vae',
    schema,
    encoder,
    architecture,
    weights,
  };
  return { spec, weights: initialWeights(weights, seed, architecture.latent) };
}
