import { expect } from 'chai';
import { createDetector } from '../../../shared/model/create-detector.js';
import { createModel } from '../../../shared/model/create-model.js';
import { defaultLatent, MODEL_KINDS, type ModelKind } from '../../../shared/model/model-spec.js';
import { TOY_SCHEMA } from '../../helpers/toy-flows.js';
import { detectorSuite, type MakeDetector, type TrainingTweaks } from './detector-suite.js';

const gaussian: MakeDetector = (encoder, seed) => {
  const latent = { kind: 'gaussian', dim: 4 } as const;
  const fresh = createModel(TOY_SCHEMA, encoder.spec, { hidden: [16], latent }, seed);
  return createDetector(fresh.spec, fresh.weights);
};

const mixture: MakeDetector = (encoder, seed) => {
  const latent = { ...defaultLatent('mixture'), components: 6 };
  const fresh = createModel(TOY_SCHEMA, encoder.spec, { hidden: [16], latent }, seed);
  return createDetector(fresh.spec, fresh.weights);
};

const stickBreaking: MakeDetector = (encoder, seed) => {
  const latent = { kind: 'stick-breaking', components: 8, concentration: 1 } as const;
  const fresh = createModel(TOY_SCHEMA, encoder.spec, { hidden: [16], latent }, seed);
  return createDetector(fresh.spec, fresh.weights);
};

const gan: MakeDetector = (encoder, seed) => {
  const latent = { kind: 'gaussian', dim: 4 } as const;
  const fresh = createModel(TOY_SCHEMA, encoder.spec, { hidden: [16], latent }, seed, 'alad-gan');
  return createDetector(fresh.spec, fresh.weights);
};

const gru: MakeDetector = (encoder, seed) => {
  const latent = { kind: 'gaussian', dim: 4 } as const;
  const sequence = { steps: 4, embedding: 8, state: 16, maxHosts: 100, gapSeconds: null };
  const architecture = { hidden: [16], latent, sequence };
  const fresh = createModel(TOY_SCHEMA, encoder.spec, architecture, seed, 'gru');
  return createDetector(fresh.spec, fresh.weights);
};

/** Every kind with the architectures, and ways of training them, it must pass the suite in. */
const KINDS: Record<ModelKind, Record<string, { make: MakeDetector; tweaks: TrainingTweaks }>> = {
  'categorical-vae': {
    'categorical VAE with a Gaussian latent': { make: gaussian, tweaks: {} },
    'categorical VAE with a mixture latent trained on the exact expectation': {
      make: mixture,
      tweaks: { mixtureObjective: 'exact', klWarmupEpochs: 0 },
    },
    'categorical VAE with a mixture latent trained on Gumbel-softmax samples': {
      make: mixture,
      tweaks: { mixtureObjective: 'gumbel-softmax', klWarmupEpochs: 0 },
    },
    'categorical VAE with a stick-breaking latent': {
      make: stickBreaking,
      tweaks: { klWarmupEpochs: 0 },
    },
  },
  'alad-gan': {
    'GAN (ALAD) with a Gaussian prior': { make: gan, tweaks: {} },
  },
  gru: {
    'sequence model (GRU) over flows without history': { make: gru, tweaks: {} },
  },
};

describe('detector model kinds', () => {
  it('has the shared suite registered for every kind a spec may name', () => {
    expect(Object.keys(KINDS).sort()).to.deep.equal([...MODEL_KINDS].sort());
  });
});

for (const variants of Object.values(KINDS))
  for (const [name, { make, tweaks }] of Object.entries(variants))
    detectorSuite(name, make, tweaks);
