/** Builds the detector model a spec names, from flat weights: the one place that knows every kind. */
import type { DetectorModel } from './detector-model.js';
import { AladGan } from './gan/alad-gan.js';
import { GruModel } from './gru/gru-model.js';
import type { ModelSpec } from './model-spec.js';
import { CategoricalVae } from './vae.js';

/** @example const model = createDetector(saved.spec, saved.weights); ...; model.dispose(); */
export function createDetector(spec: ModelSpec, weights: Float32Array): DetectorModel {
  switch (spec.kind) {
    case 'categorical-vae':
      return new CategoricalVae(spec, weights);
    case 'alad-gan':
      return new AladGan(spec, weights);
    case 'gru':
      return new GruModel(spec, weights);
  }
}
