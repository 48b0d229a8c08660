import { expect } from 'chai';
import { createModel } from '../../../shared/model/create-model.js';
import { defaultLatent, type ModelSpec } from '../../../shared/model/model-spec.js';
import { ModelSpecError, readModelSpec } from '../../../shared/model/read-model-spec.js';
import { TOY_SCHEMA } from '../../helpers/toy-flows.js';
import { toyEncoder } from '../../helpers/toy-model.js';

describe('reading a model spec', () => {
  const spec = (latent: 'gaussian' | 'mixture' = 'gaussian'): ModelSpec =>
    createModel(TOY_SCHEMA, toyEncoder().spec, { hidden: [8], latent: defaultLatent(latent) }, 1)
      .spec;
  const asJson = (value: unknown) => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  const problem = (value: unknown) => {
    try {
      readModelSpec(value, 'model.json');
    } catch (error) {
      expect(error).to.be.instanceOf(ModelSpecError);
      return (error as Error).message;
    }
    return null;
  };

  it('reads back every spec the model code writes, of either latent kind', () => {
    for (const latent of ['gaussian', 'mixture'] as const)
      expect(readModelSpec(asJson(spec(latent)), 'model.json')).to.deep.equal(spec(latent));
  });

  it('reads a spec written before models had kinds as a categorical VAE', () => {
    const { kind: _, ...older } = asJson(spec());
    expect(readModelSpec(older, 'model.json').kind).to.equal('categorical-vae');
  });

  it('refuses a kind it does not know, naming the kinds it does', () => {
    expect(problem({ ...asJson(spec()), kind: 'transformer' })).to.equal(
      `model.json: 'kind' must be one of categorical-vae, alad-gan, gru, got "transformer"`,
    );
  });

  it('refuses a weight manifest the architecture does not imply, so a model never builds from a wrong layout', () => {
    const good = asJson(spec());
    const weights = (good.weights as { name: string; shape: number[] }[]).map((w, i) =>
      i === 0 ? { ...w, shape: [w.shape[0]! + 1, w.shape[1]!] } : w,
    );
    expect(problem({ ...good, weights })).to.match(
      /^model\.json: 'weights' does not match the architecture over the encoder's \d+ inputs/,
    );
    expect(problem({ ...good, architecture: { hidden: [9], latent: good.architecture } })).to.match(
      /architecture: latent 'kind' must be 'gaussian', 'mixture' or 'stick-breaking'/,
    );
  });

  it('reads a gru spec back and refuses one without sound history settings', () => {
    const architecture = {
      hidden: [8],
      latent: defaultLatent('gaussian'),
      sequence: { steps: 4, embedding: 8, state: 8, maxHosts: 10, gapSeconds: null },
    };
    const gru = asJson(createModel(TOY_SCHEMA, toyEncoder().spec, architecture, 1, 'gru').spec);
    expect(readModelSpec(gru, 'model.json').architecture.sequence).to.deep.equal(
      architecture.sequence,
    );
    const withSequence = (sequence: unknown) => ({
      ...gru,
      architecture: { ...architecture, sequence },
    });
    expect(problem(withSequence(undefined))).to.equal(
      "model.json: architecture: a gru model needs 'sequence'",
    );
    expect(problem(withSequence({ ...architecture.sequence, steps: 0 }))).to.equal(
      "model.json: architecture: sequence 'steps' must be a positive integer",
    );
    expect(problem(withSequence({ ...architecture.sequence, gapSeconds: -1 }))).to.match(
      /'gapSeconds' must be null or a positive number/,
    );
  });

  it('names the field that is wrong in the schema, the encoder or the architecture', () => {
    const good = asJson(spec());
    const schema = good.schema as { name: string; fields: Record<string, unknown>[] };
    expect(
      problem({
        ...good,
        schema: {
          ...schema,
          fields: schema.fields.map((f, i) => (i === 2 ? { ...f, numeric: 'size' } : f)),
        },
      }),
    ).to.equal(
      'model.json: schema: fields[2].numeric must be one of count, bytes, duration, rate, flag',
    );
    expect(problem({ ...good, encoder: { fields: [] } })).to.equal(
      "model.json: invalid encoder spec: 'fields' must be a non-empty array",
    );
    expect(
      problem({ ...good, architecture: { hidden: [0], latent: { kind: 'gaussian', dim: 4 } } }),
    ).to.equal("model.json: architecture: 'hidden' must be a list of positive integers");
    expect(problem({ ...good, version: 2 })).to.equal(
      'model.json: unsupported version 2 (this fedflow reads version 1)',
    );
    expect(problem('not a spec')).to.equal('model.json: expected a JSON object');
  });
});
