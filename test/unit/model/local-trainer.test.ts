import { expect } from 'chai';
import { DEFAULT_TRAINING, trainLocal } from '../../../client/trainer/local-trainer.js';
import type { EpochReport } from '../../../client/trainer/training-hooks.js';
import { initBackend } from '../../../shared/runtime/backend.js';
import { toyRows } from '../../helpers/toy-flows.js';
import { toyEncoder, toyModel, toyTable } from '../../helpers/toy-model.js';

describe('local training with a step budget (federated rounds)', () => {
  before(async () => {
    await initBackend();
  });

  it('takes exactly maxSteps steps and reports every epoch, the cut-short one over the flows it trained on', async () => {
    const encoder = toyEncoder();
    const train = toyTable(encoder, toyRows(500, 25)); // 8 batches of 64 an epoch
    const model = toyModel(encoder, 'mixture', 3);
    const epochs: EpochReport[] = [];
    let batches = 0;
    const result = await trainLocal(
      model,
      encoder,
      train,
      null,
      { ...DEFAULT_TRAINING, batchSize: 64, epochs: 5, klWarmupEpochs: 0, maxSteps: 10 },
      { onBatch: () => batches++, onEpoch: (r) => epochs.push(r) },
    );
    model.dispose();
    expect(batches).to.equal(10);
    expect(result.history.map((r) => r.epoch)).to.deep.equal([1, 2]);
    expect(epochs).to.deep.equal(result.history);
    // Epoch 2 trained 2 batches (128 flows): its mean loss is per flow trained, not per 500.
    const [first, second] = result.history;
    expect(second!.trainLoss).to.be.greaterThan(0.5 * first!.trainLoss);
    expect(second!.trainLoss).to.be.lessThan(1.5 * first!.trainLoss);
  });

  it('stops at the epoch count when the budget is larger', async () => {
    const encoder = toyEncoder();
    const train = toyTable(encoder, toyRows(500, 25));
    const model = toyModel(encoder, 'mixture', 3);
    const result = await trainLocal(model, encoder, train, null, {
      ...DEFAULT_TRAINING,
      batchSize: 64,
      epochs: 2,
      klWarmupEpochs: 0,
      maxSteps: 100,
    });
    model.dispose();
    expect(result.history).to.have.length(2);
  });
});
