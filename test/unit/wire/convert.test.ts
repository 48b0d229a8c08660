import { expect } from 'chai';
import type { Task, TaskKind } from '../../../shared/federation/messages.js';
import {
  type PayloadKind,
  payloadKindFromWire,
  payloadKindToWire,
  type ResultHeader,
  type ResultReceipt,
  receiptFromWire,
  receiptToWire,
  resultHeaderFromWire,
  resultHeaderToWire,
  type TaskStreamEvent,
  taskEventFromWire,
  taskEventToWire,
  taskFromWire,
  taskKindFromWire,
  taskKindToWire,
  taskToWire,
} from '../../../shared/wire/convert.js';
import { WireError } from '../../../shared/wire/errors.js';
import type { Receipt__Output } from '../../../shared/wire/generated/fedflow/v1/Receipt.js';
import type { SubmitHeader__Output } from '../../../shared/wire/generated/fedflow/v1/SubmitHeader.js';
import type { TaskAssignment__Output } from '../../../shared/wire/generated/fedflow/v1/TaskAssignment.js';
import type { TaskEvent__Output } from '../../../shared/wire/generated/fedflow/v1/TaskEvent.js';
import { TEST_TRAINING } from '../../helpers/tasks.js';

const task: Task = {
  kind: 'train',
  round: 3,
  taskId: 'round-3',
  modelVersion: 2,
  training: TEST_TRAINING,
  minCategoryCount: 3,
  maxCategoryValues: 256,
  deadlineMs: 1_763_800_000_000,
};

describe('domain <-> wire conversion', () => {
  it('maps every task kind to a distinct enum value and back', () => {
    const kinds: TaskKind[] = ['sketch', 'train', 'calibrate'];

    const wire = kinds.map(taskKindToWire);

    expect(new Set(wire).size).to.equal(kinds.length);
    expect(wire.map(taskKindFromWire)).to.deep.equal(kinds);
  });

  it('maps every payload kind to a distinct enum value and back', () => {
    const kinds: PayloadKind[] = ['sketch', 'delta', 'histogram'];

    const wire = kinds.map(payloadKindToWire);

    expect(new Set(wire).size).to.equal(kinds.length);
    expect(wire.map(payloadKindFromWire)).to.deep.equal(kinds);
    expect(() => payloadKindFromWire('PAYLOAD_KIND_UNSPECIFIED')).to.throw(WireError);
  });

  it('rejects the unspecified task kind and enum numbers it does not know', () => {
    expect(() => taskKindFromWire('TASK_KIND_UNSPECIFIED')).to.throw(
      WireError,
      'expected a task kind of TASK_KIND_SKETCH, TASK_KIND_TRAIN, TASK_KIND_CALIBRATE, TASK_KIND_SECAGG_KEYS, TASK_KIND_SECAGG_SHARES, TASK_KIND_SECAGG_TRAIN, TASK_KIND_SECAGG_UNMASK, got TASK_KIND_UNSPECIFIED',
    );
    expect(() => taskKindFromWire(9)).to.throw(WireError, 'got 9');
  });

  it('round-trips a task through TaskAssignment', () => {
    expect(taskFromWire(taskToWire(task) as TaskAssignment__Output)).to.deep.equal(task);
  });

  it('round-trips every published training setting', () => {
    const training = {
      epochs: 0,
      localSteps: 120,
      batchSize: 64,
      learningRate: 0.0025,
      proximalMu: 0.01,
      keepOptimizerState: true,
      replayShare: 0.5,
      updateBits: 8 as const,
      releaseBits: 8 as const,
    };
    const back = taskFromWire(taskToWire({ ...task, training }) as TaskAssignment__Output);
    expect(back.training).to.deep.equal(training);
  });

  /** The task on the wire with some of its training settings changed. */
  const wire = (patch: object) =>
    ({
      ...taskToWire(task),
      training: { ...taskToWire(task).training, ...patch },
    }) as TaskAssignment__Output;

  it('reads an unpublished update width as float32 deltas, and refuses one no codec has', () => {
    expect(taskFromWire(wire({ updateBits: 0 })).training.updateBits).to.equal(32);
    expect(() => taskFromWire(wire({ updateBits: 16 }))).to.throw(
      WireError,
      'updateBits must be one of 32, 8, 4, got 16',
    );
  });

  it('refuses a training task whose settings cannot train, naming the setting', () => {
    expect(() => taskFromWire(wire({ batchSize: 0 }))).to.throw(
      WireError,
      'expected usable settings for a train task: batchSize must be a positive number, got 0',
    );
    expect(() => taskFromWire(wire({ epochs: 0, localSteps: 0 }))).to.throw(
      WireError,
      'one of epochs and localSteps must be > 0',
    );
    expect(() => taskFromWire(wire({ learningRate: Number.NaN }))).to.throw(
      WireError,
      'learningRate',
    );
    expect(() => taskFromWire(wire({ proximalMu: -1 }))).to.throw(WireError, 'proximalMu');
    expect(() => taskFromWire(wire({ replayShare: 1 }))).to.throw(
      WireError,
      'replayShare must be in [0, 0.9], got 1',
    );
  });

  it('refuses more work than a site accepts from one task, naming the limit', () => {
    expect(() => taskFromWire(wire({ localSteps: 100_001 }))).to.throw(
      WireError,
      'localSteps must be an integer in [0, 100000], got 100001',
    );
    expect(() => taskFromWire(wire({ epochs: 5_000 }))).to.throw(
      WireError,
      'epochs must be an integer in [0, 1000], got 5000',
    );
    expect(() => taskFromWire(wire({ batchSize: 1e6 }))).to.throw(
      WireError,
      'batchSize must be an integer in [0, 65536], got 1000000',
    );
    expect(() => taskFromWire(wire({ replayShare: 0.95 }))).to.throw(
      WireError,
      'replayShare must be in [0, 0.9], got 0.95',
    );
  });

  it('refuses a sketch task without a minimum category count', () => {
    const sketch = { ...taskToWire({ ...task, kind: 'sketch' }), minCategoryCount: 0 };
    expect(() => taskFromWire(sketch as TaskAssignment__Output)).to.throw(
      WireError,
      'minCategoryCount must be >= 1, got 0',
    );
  });

  it('reads a sketch task without a value limit as the protocol limit, and refuses one above it', () => {
    const sketch = (maxCategoryValues: number) =>
      ({
        ...taskToWire({ ...task, kind: 'sketch' }),
        maxCategoryValues,
      }) as TaskAssignment__Output;
    expect(taskFromWire(sketch(0)).maxCategoryValues).to.equal(1024);
    expect(taskFromWire(sketch(64)).maxCategoryValues).to.equal(64);
    expect(() => taskFromWire(sketch(5000))).to.throw(
      WireError,
      'maxCategoryValues must be at most 1024, got 5000',
    );
  });

  it('refuses to send a negative round', () => {
    expect(() => taskToWire({ ...task, round: -1 })).to.throw(
      WireError,
      'expected round to be a non-negative integer, got -1',
    );
  });

  it('round-trips every kind of task stream event', () => {
    const events: TaskStreamEvent[] = [
      { type: 'heartbeat', nowMs: 1_763_800_000_000 },
      { type: 'task', task },
      { type: 'finished', reason: 'all rounds done' },
    ];

    for (const event of events) {
      const wire = { ...taskEventToWire(event), event: event.type } as TaskEvent__Output;
      expect(taskEventFromWire(wire)).to.deep.equal(event);
    }
  });

  it('rejects a task stream event without an event', () => {
    expect(() => taskEventFromWire({})).to.throw(WireError, 'got none');
  });

  it('round-trips a result header and a receipt', () => {
    const header: ResultHeader = {
      sessionToken: 'token',
      round: 3,
      taskId: 'round-3',
      kind: 'train',
      totalBytes: 4096,
      sha256: new Uint8Array(32).fill(7),
    };
    const receipt: ResultReceipt = {
      accepted: true,
      digest: new Uint8Array(32).fill(7),
      receivedMs: 1_763_800_000_000,
      coordinatorSignature: new Uint8Array(64).fill(9),
    };

    expect(resultHeaderFromWire(resultHeaderToWire(header) as SubmitHeader__Output)).to.deep.equal(
      header,
    );
    expect(receiptFromWire(receiptToWire(receipt) as Receipt__Output)).to.deep.equal(receipt);
  });
});
