import { expect } from 'chai';
import type { FederationPlan } from '../../../coordinator/rounds/federation-plan.js';
import { federationProtocols } from '../../../coordinator/rounds/protocols/federation-protocols.js';
import { stepProblem } from '../../../coordinator/rounds/round-protocol.js';
import { fedAvg } from '../../../coordinator/strategy/fedavg.js';
import { SCORE_GRID, scoreHistogram } from '../../../shared/federation/calibration.js';
import type { ClientPayload, Task } from '../../../shared/federation/messages.js';
import { bucketCount } from '../../../shared/stats/log-histogram.js';
import { TEST_TRAINING } from '../../helpers/tasks.js';
import { TOY_SCHEMA } from '../../helpers/toy-flows.js';
import { toyEncoder, toyModel } from '../../helpers/toy-model.js';

describe('round protocols: each checks its own payloads', () => {
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
  const plan = { schema: TOY_SCHEMA, maxSiteRows: 1_000_000, rounds: 5 } as FederationPlan;
  const steps = federationProtocols(plan, fedAvg).flatMap((protocol) => protocol.steps);
  /** What the step sending `task` says of `payload` from a site that declared `maxRows`. */
  const payloadProblem = (task: Task, payload: ClientPayload, maxRows = Number.POSITIVE_INFINITY) =>
    stepProblem(steps.find((s) => s.kind === task.kind)!, payload, {
      task,
      clientId: 'site-a',
      plan,
      model,
      maxRows,
    });
  const delta = (patch: object = {}) => ({
    kind: 'delta' as const,
    modelVersion: 4,
    delta: new Float32Array(model.weights.length),
    examples: 100,
    validationLoss: 3,
    ...patch,
  });

  it('accepts a well-formed delta within the rows the site declared', () => {
    expect(payloadProblem(train, delta(), 100)).to.equal(null);
  });

  it('refuses a delta that claims more examples than the site declared, so it cannot outweigh the others', () => {
    expect(payloadProblem(train, delta({ examples: 2 ** 53 }), 5000)).to.match(
      /claims 9007199254740992 examples, more than the 5000 rows/,
    );
  });

  it('refuses a histogram that claims more flows than the site declared', () => {
    const counts = new Array(bucketCount(SCORE_GRID)).fill(0);
    counts[1] = 1e9;
    expect(
      payloadProblem(calibrate, { kind: 'histogram', modelVersion: 4, counts, flows: 1e9 }, 1000),
    ).to.match(/claims 1000000000 flows/);
    const honest = scoreHistogram([5, 6, 7]);
    expect(
      payloadProblem(
        calibrate,
        { kind: 'histogram', modelVersion: 4, counts: honest, flows: 3 },
        1000,
      ),
    ).to.equal(null);
  });

  it('refuses a payload of the wrong kind for the task, naming both', () => {
    expect(payloadProblem(calibrate, delta())).to.equal(
      'a calibrate task expects a histogram payload, got delta',
    );
  });
});

describe('the protocol seam', () => {
  it('gives every task kind to exactly one step, one protocol per phase before done', () => {
    const plan = { schema: TOY_SCHEMA, rounds: 5 } as FederationPlan;
    const protocols = federationProtocols(plan, fedAvg);

    expect(protocols.map((p) => p.phase)).to.deep.equal(['encoder', 'training', 'calibration']);
    expect(protocols.flatMap((p) => p.steps.map((s) => s.kind))).to.deep.equal([
      'sketch',
      'train',
      'calibrate',
    ]);
  });
});
