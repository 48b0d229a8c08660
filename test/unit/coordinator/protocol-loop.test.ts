import { expect } from 'chai';
import { FederationLoop } from '../../../coordinator/rounds/federation-loop.js';
import type { FederationPlan } from '../../../coordinator/rounds/federation-plan.js';
import type { RoundProtocol, StepResults } from '../../../coordinator/rounds/round-protocol.js';
import { MemoryFederationStore } from '../../../coordinator/store/federation-state.js';
import { fedAvg } from '../../../coordinator/strategy/fedavg.js';
import { scoreHistogram } from '../../../shared/federation/calibration.js';
import type { ClientPayload, Task } from '../../../shared/federation/messages.js';
import { StaticRegistry, scriptedProxy } from '../../helpers/memory-federation.js';
import { TEST_TRAINING } from '../../helpers/tasks.js';
import { TOY_SCHEMA } from '../../helpers/toy-flows.js';
import { toyEncoder, toyModel } from '../../helpers/toy-model.js';

const PLAN: FederationPlan = {
  schema: TOY_SCHEMA,
  rounds: 1,
  training: TEST_TRAINING,
  minClients: 2,
  quorum: 1,
  roundTimeoutMs: 10_000,
  waitForClientsMs: 1_000,
  kAnonymity: { minSites: 1, minRecords: 1 },
  siteMinCategoryCount: 1,
  maxSiteRows: 1_000_000,
  encoderFit: { minCategoryCount: 1, maxVocabulary: 16, numericBins: 4 },
  architecture: { hidden: [4], latent: { kind: 'gaussian', dim: 2 } },
  seed: 1,
  targetFprs: [0.01],
};

describe('round protocols in the loop', () => {
  const vae = toyModel(toyEncoder());
  const model = { version: 1, spec: vae.spec, weights: vae.getWeights(), thresholds: null };
  after(() => vae.dispose());

  /**
   * Two steps, as secure aggregation's would be: first every site sends a sketch (standing in
   * for key advertisement), then a histogram (standing in for masked input). Close sees both.
   */
  function twoStepProtocol(seen: (readonly StepResults[])[]): RoundProtocol {
    return {
      phase: 'encoder',
      steps: [
        { kind: 'sketch', check: () => null },
        {
          kind: 'calibrate',
          check: (payload) =>
            payload.kind === 'histogram' && payload.flows === 13 ? 'thirteen is refused' : null,
        },
      ],
      position: () => ({ round: 0, modelVersion: 0 }),
      close: (results, state) => {
        seen.push(results);
        return { state: { ...state, phase: 'done', model }, log: ['two steps closed'] };
      },
    };
  }

  const answer =
    (flows: number) =>
    async (task: Task): Promise<ClientPayload> =>
      task.kind === 'sketch'
        ? sketchOf(10)
        : { kind: 'histogram', modelVersion: 0, counts: scoreHistogram([1, 2]), flows };

  it("runs the steps in order, checks each payload by its own step, and closes once with every step's results", async () => {
    const seen: (readonly StepResults[])[] = [];
    const logs: string[] = [];
    const registry = new StaticRegistry([
      scriptedProxy('a', answer(2)),
      scriptedProxy('b', answer(2)),
      scriptedProxy('c', answer(13)),
    ]);
    const loop = new FederationLoop(
      { ...PLAN, minClients: 2 },
      registry,
      fedAvg,
      new MemoryFederationStore(),
      { onLog: (line) => logs.push(line) },
      undefined,
      [twoStepProtocol(seen)],
    );

    const published = await loop.run();

    expect(published).to.equal(model);
    expect(seen).to.have.length(1);
    expect(seen[0]!.map((step) => step.map((r) => r.clientId).sort())).to.deep.equal([
      ['a', 'b', 'c'],
      ['a', 'b'],
    ]);
    expect(loop.rounds.map((r) => [r.kind, r.outcome])).to.deep.equal([
      ['sketch', 'closed'],
      ['calibrate', 'closed'],
    ]);
    expect(loop.rounds[1]!.failures).to.deep.equal([
      { clientId: 'c', reason: 'rejected: thirteen is refused' },
    ]);
    expect(logs).to.include('two steps closed');
  });

  it('checks each payload once: not again when its proxy already checked it (the gRPC service does), always otherwise', async () => {
    const checked: string[] = [];
    const counting: RoundProtocol = {
      ...twoStepProtocol([]),
      steps: [
        {
          kind: 'sketch',
          check: (payload) => {
            checked.push(String(payload.kind === 'sketch' && payload.rows));
            return null;
          },
        },
      ],
    };
    const service = { ...scriptedProxy('remote', async () => sketchOf(7)), checksPayloads: true };
    const registry = new StaticRegistry([service, scriptedProxy('local', async () => sketchOf(8))]);
    const loop = new FederationLoop(
      PLAN,
      registry,
      fedAvg,
      new MemoryFederationStore(),
      {},
      undefined,
      [counting],
    );

    await loop.run();

    expect(checked).to.deep.equal(['8']);
  });
});

function sketchOf(rows: number): ClientPayload {
  return { kind: 'sketch', rows, categorical: [], numeric: [] };
}
