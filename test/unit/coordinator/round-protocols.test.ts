import { expect } from 'chai';
import { payloadProblem } from '../../../coordinator/rounds/payload-checks.js';
import { SCORE_GRID, scoreHistogram } from '../../../shared/federation/calibration.js';
import type { Task } from '../../../shared/federation/messages.js';
import { bucketCount } from '../../../shared/stats/log-histogram.js';
import { TEST_TRAINING } from '../../helpers/tasks.js';
import { TOY_SCHEMA } from '../../helpers/toy-flows.js';
import { toyEncoder, toyModel } from '../../helpers/toy-model.js';

describe('result payload checks', () => {
  const vae = toyModel(toyEncoder());
  const model = { version: 4, spec: vae.spec, weights: vae.getWeights(), thresholds: null };
  after(() => vae.dispose());
  const train: Task = {
    kind: 'train',
    round: 3,
    taskId: 't',
    modelVersion: 4,
    training: TEST_TRAINING,
    minCategoryCount: 3,
    maxCategoryValues: 256,
    deadlineMs: 0,
  };
  const calibrate: Task = { ...train, kind: 'calibrate' };
  const delta = (patch: object = {}) => ({
    kind: 'delta' as const,
    modelVersion: 4,
    delta: new Float32Array(model.weights.length),
    examples: 100,
    validationLoss: 3,
    ...patch,
  });

  it('accepts a well-formed delta within the rows the site declared', () => {
    expect(payloadProblem(train, TOY_SCHEMA, model, delta(), 100)).to.equal(null);
  });

  it('refuses a delta that claims more examples than the site declared, so it cannot outweigh the others', () => {
    expect(payloadProblem(train, TOY_SCHEMA, model, delta({ examples: 2 ** 53 }), 5000)).to.match(
      /claims 9007199254740992 examples, more than the 5000 rows/,
    );
  });

  it('refuses a histogram that claims more flows than the site declared', () => {
    const counts = new Array(bucketCount(SCORE_GRID)).fill(0);
    counts[1] = 1e9;
    expect(
      payloadProblem(
        calibrate,
        TOY_SCHEMA,
        model,
        { kind: 'histogram', modelVersion: 4, counts, flows: 1e9 },
        1000,
      ),
    ).to.match(/claims 1000000000 flows/);
    const honest = scoreHistogram([5, 6, 7]);
    expect(
      payloadProblem(
        calibrate,
        TOY_SCHEMA,
        model,
        { kind: 'histogram', modelVersion: 4, counts: honest, flows: 3 },
        1000,
      ),
    ).to.equal(null);
  });

  it('refuses a payload of the wrong kind for the task, naming both', () => {
    expect(payloadProblem(calibrate, TOY_SCHEMA, model, delta())).to.equal(
      'a calibrate task expects a histogram payload, got delta',
    );
  });
});
