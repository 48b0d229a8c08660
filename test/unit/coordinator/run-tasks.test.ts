import { expect } from 'chai';
import type { ClientProxy } from '../../../coordinator/rounds/client-proxy.js';
import { runTasks } from '../../../coordinator/rounds/run-tasks.js';
import type { Task } from '../../../shared/federation/messages.js';
import { TEST_TRAINING } from '../../helpers/tasks.js';

const task: Task = {
  kind: 'calibrate',
  round: 4,
  taskId: 't-4',
  modelVersion: 4,
  deadlineMs: Date.now() + 60_000,
  training: TEST_TRAINING,
  minCategoryCount: 3,
  maxCategoryValues: 256,
};
const histogram = { kind: 'histogram' as const, modelVersion: 4, counts: [1], flows: 1 };

describe('running one task on several clients', () => {
  it('sends nothing when the quorum is already met (a resumed round), leaving no task pending', async () => {
    const sent: string[] = [];
    const client = (id: string): ClientProxy => ({
      id,
      run: async () => {
        sent.push(id);
        return histogram;
      },
    });
    const outcome = await runTasks([client('a'), client('b')], task, {
      quorum: 0,
      deadlineMs: task.deadlineMs,
      validate: () => null,
    });
    expect(sent).to.deep.equal([]);
    expect(outcome.results).to.deep.equal([]);
  });

  it('stops at the quorum and says who did not answer', async () => {
    const never: ClientProxy = { id: 'slow', run: () => new Promise(() => {}) };
    const quick: ClientProxy = { id: 'quick', run: async () => histogram };
    const outcome = await runTasks([quick, never], task, {
      quorum: 1,
      deadlineMs: task.deadlineMs,
      validate: () => null,
    });
    expect(outcome.results.map((r) => r.clientId)).to.deep.equal(['quick']);
    expect(outcome.failures).to.deep.equal([
      { clientId: 'slow', reason: 'no result before the round closed' },
    ]);
  });
});
