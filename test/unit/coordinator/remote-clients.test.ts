import { expect } from 'chai';
import { RemoteClients } from '../../../coordinator/service/remote-clients.js';
import type { Task } from '../../../shared/federation/messages.js';
import { TEST_TRAINING } from '../../helpers/tasks.js';

const task: Task = {
  kind: 'train',
  round: 2,
  taskId: 't-2',
  modelVersion: 2,
  training: TEST_TRAINING,
  minCategoryCount: 3,
  maxCategoryValues: 256,
  deadlineMs: Date.now() + 60_000,
};
const payload = { kind: 'histogram' as const, modelVersion: 2, counts: [], flows: 0 };

describe('connected clients registry', () => {
  it('sends an open task again to a client that reconnects in time, and takes its result', async () => {
    const clients = new RemoteClients(1000);
    const first: Task[] = [];
    const firstSend = (t: Task) => first.push(t);
    clients.attach('a', firstSend);
    const result = clients.connected()[0]!.run(task, new AbortController().signal);
    expect(first).to.deep.equal([task]);
    clients.detach('a', firstSend);
    expect(clients.connected()).to.have.length(0);
    const second: Task[] = [];
    clients.attach('a', (t) => second.push(t));
    expect(second).to.deep.equal([task]);
    expect(clients.pendingTask('a', 't-2')).to.deep.equal(task);
    clients.deliver('a', 't-2', payload);
    expect(await result).to.deep.equal(payload);
  });

  it('fails the open tasks of a client whose stream closed early (a dead site) at the reattach window, not the task deadline', async () => {
    const clients = new RemoteClients(50);
    const send = () => {};
    clients.attach('a', send);
    const started = Date.now();
    const result = clients
      .connected()[0]!
      .run({ ...task, deadlineMs: started + 60_000 }, new AbortController().signal);
    clients.detach('a', send);
    const error = await result.then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).to.equal('the client disconnected');
    expect(Date.now() - started).to.be.below(5_000); // the window (50 ms), not the deadline
    expect(clients.pendingTask('a', 't-2')).to.equal(null);
  });

  it('keeps the open tasks of a client whose stream ran out its own deadline (busy training) until the task deadline', async () => {
    const clients = new RemoteClients(50);
    const send = () => {};
    clients.attach('a', send);
    const started = Date.now();
    const result = clients
      .connected()[0]!
      .run({ ...task, deadlineMs: started + 300 }, new AbortController().signal);
    clients.detach('a', send, true);
    const error = await result.then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).to.equal('the client disconnected');
    expect(Date.now() - started).to.be.at.least(250); // kept until the task's own deadline
    expect(clients.pendingTask('a', 't-2')).to.equal(null);
  });

  it('ignores the close of a stream that was already replaced', () => {
    const clients = new RemoteClients(50);
    const old = () => {};
    clients.attach('a', old);
    clients.attach('a', () => {});
    clients.detach('a', old);
    expect(clients.connected()).to.have.length(1);
  });
});
