import { expect } from 'chai';
import { createDetector } from '../../../shared/model/create-detector.js';
import { createModel } from '../../../shared/model/create-model.js';
import { defaultLatent, MODEL_KINDS, type ModelKind } from '../../../shared/model/model-spec.js';
import { TOY_SCHEMA } from '../../helpers/toy-flows.js';
import { detectorSuite, type MakeDetector } from './detector-suite.js';

/** Every kind with the architectures it must pass the suite in. */
const KINDS: Record<ModelKind, Record<string, MakeDetector>> = {
  'categorical-vae': {
    'categorical VAE with a Gaussian latent': (encoder, seed) => {
      const fresh = createModel(
        TOY_SCHEMA,
        encoder.spec,
        { hidden: [16], latent: { kind: 'gaussian', dim: 4 } },
        seed,
      );
      return createDetector(fresh.spec, fresh.weights);
    },
    'categorical VAE with a mixture latent': (encoder, seed) => {
      const latent = { ...defaultLatent('mixture'), components: 6, objective: 'exact' as const };
      const fresh = createModel(TOY_SCHEMA, encoder.spec, { hidden: [16], latent }, seed);
      return createDetector(fresh.spec, fresh.weights);
    },
  },
};

describe('detector model kinds', () => {
  it('has the shared suite registered for every kind a spec may name', () => {
    expect(Object.keys(KINDS).sort()).to.deep.equal([...MODEL_KINDS].sort());
  });
});

for (const variants of Object.values(KINDS))
  for (const [name, make] of Object.entries(variants)) detectorSuite(name, make);
