/**
 * Data-parallel training steps on a second core: a worker thread computes the gradient of half
 * of each batch while this thread computes the other half; their example-weighted mean is the
 * whole batch's gradient. The wasm backend runs one thread, so this is how training uses two
 * cores. One worker per process, started on first use and reused by every later training run
 * (a federated site trains once per round); it never keeps the process alive.
 */
import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  type Worker,
} from 'node:worker_threads';
import type { RowHistory } from '../../shared/encoding/flow-table.js';
import { NO_FLOW } from '../../shared/encoding/host-history.js';
import type { LossSettings } from '../../shared/model/detector-model.js';
import { historySettingsFor } from '../../shared/model/gru/gru-layers.js';
import { gatherHistory } from '../../shared/model/model-rows.js';
import type { ModelSpec } from '../../shared/model/model-spec.js';
import type { BackendName } from '../../shared/runtime/backend.js';
import { startModuleWorker } from '../../shared/runtime/module-worker.js';
import {
  PARAM_COUNT,
  Param,
  State,
  type WorkerSession,
  type WorkerStart,
} from './gradient-worker-protocol.js';

// A step takes milliseconds; this long means the worker is gone.
const STEP_TIMEOUT_MS = 120_000;

export class SecondCore {
  private readonly word: Int32Array;
  /** Half-batches the worker has computed (what tests check). */
  stepsDone = 0;
  private session: {
    key: string;
    params: Float64Array;
    weights: Float32Array;
    gradient: Float32Array;
    codes: Uint16Array;
    fields: number;
    history: Uint16Array | null;
  } | null = null;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    control: SharedArrayBuffer,
    readonly backend: BackendName,
  ) {
    this.word = new Int32Array(control);
  }

  static start(backend: BackendName): SecondCore {
    const control = new SharedArrayBuffer(4);
    const { port1, port2 } = new MessageChannel();
    const workerData: WorkerStart = { backend, control, port: port2 };
    const worker = startModuleWorker(import.meta.url, 'gradient-worker', {
      workerData,
      transferList: [port2],
    });
    worker.unref();
    return new SecondCore(worker, port1, control, backend);
  }

  /**
   * Prepares the worker for `spec` and batches of up to `maxRows` rows; a no-op when it already
   * is (`key` names the two: see {@link sessionKey}).
   */
  prepare(spec: ModelSpec, maxRows: number, key = sessionKey(spec, maxRows)): void {
    if (this.session?.key === key) return;
    const size = spec.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
    const fields = spec.encoder.fields.length;
    const steps = historySettingsFor(spec.kind, spec.architecture)?.steps ?? 0;
    const shared: WorkerSession = {
      spec,
      maxRows,
      params: new SharedArrayBuffer(8 * PARAM_COUNT),
      weights: new SharedArrayBuffer(4 * size),
      gradient: new SharedArrayBuffer(4 * (size + 1)),
      codes: new SharedArrayBuffer(2 * maxRows * fields),
      history: steps > 0 ? new SharedArrayBuffer(2 * maxRows * steps * fields) : null,
      steps,
    };
    this.session = null;
    this.port.postMessage(shared);
    this.run(State.Configure);
    this.session = {
      key,
      fields,
      params: new Float64Array(shared.params),
      weights: new Float32Array(shared.weights),
      gradient: new Float32Array(shared.gradient),
      codes: new Uint16Array(shared.codes),
      history: shared.history ? new Uint16Array(shared.history) : null,
    };
  }

  /**
   * Starts the worker on rows `order[start .. start + count)` of `codes` with `weights`;
   * {@link finish} returns their gradient. Between the two, this thread is free. A sequence
   * model's worker gets the rows' histories too (empty when the table has none).
   */
  begin(
    weights: Float32Array,
    codes: Uint16Array,
    order: Uint32Array,
    start: number,
    count: number,
    settings: LossSettings,
    history: RowHistory | null = null,
  ): void {
    const s = this.session!;
    s.weights.set(weights);
    for (let r = 0; r < count; r++) {
      const row = order[start + r]! * s.fields;
      s.codes.set(codes.subarray(row, row + s.fields), r * s.fields);
    }
    if (s.history && history)
      s.history.set(gatherHistory(history, s.fields, order, start, count).codes);
    else s.history?.fill(NO_FLOW);
    s.params[Param.Rows] = count;
    s.params[Param.KlWeight] = settings.klWeight;
    s.params[Param.Temperature] = settings.temperature;
    s.params[Param.Seed] = settings.seed;
    s.params[Param.Objective] = settings.mixtureObjective === 'gumbel-softmax' ? 1 : 0;
    s.params[Param.TrainingRows] = settings.trainingRows ?? 0;
    Atomics.store(this.word, 0, State.Step);
    Atomics.notify(this.word, 0);
  }

  /** Waits for the step begun last; its gradient then its mean loss (valid until the next). */
  finish(): Float32Array {
    this.wait();
    this.stepsDone++;
    return this.session!.gradient;
  }

  /** Ends the worker (tests; a process that exits needs no call). */
  async stop(): Promise<void> {
    Atomics.store(this.word, 0, State.Stop);
    Atomics.notify(this.word, 0);
    await this.worker.terminate();
  }

  private run(state: number): void {
    Atomics.store(this.word, 0, state);
    Atomics.notify(this.word, 0);
    this.wait();
  }

  private wait(): void {
    const started = Date.now();
    let state = Atomics.load(this.word, 0);
    while (state === State.Step || state === State.Configure) {
      if (Date.now() - started > STEP_TIMEOUT_MS)
        throw new Error(`the training worker did not answer in ${STEP_TIMEOUT_MS / 1000} s`);
      Atomics.wait(this.word, 0, state, 1000);
      state = Atomics.load(this.word, 0);
    }
    if (state === State.Failed) {
      Atomics.store(this.word, 0, State.Idle);
      const message = receiveMessageOnPort(this.port)?.message;
      throw new Error(`training worker: ${message ?? 'failed without a message'}`);
    }
  }
}

/** What identifies a worker session: a training run computes it once. */
export function sessionKey(spec: ModelSpec, maxRows: number): string {
  return JSON.stringify([spec.encoder, spec.architecture, spec.weights, maxRows]);
}

let shared: SecondCore | null = null;

/** The process's one gradient worker for `backend`, started on first use. */
export function secondCore(backend: BackendName): SecondCore {
  if (shared?.backend !== backend) {
    void shared?.stop();
    shared = SecondCore.start(backend);
  }
  return shared;
}
