/**
 * The second core's half of every training step (see second-core.ts): waits on the shared
 * control word, computes the gradient of the rows it was given with its own copy of the model,
 * and hands it back. Blocking waits are fine here: this thread does nothing else.
 */
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { FlowEncoder } from '../../shared/encoding/flow-encoder.js';
import type { RowHistory } from '../../shared/encoding/flow-table.js';
import { createDetector } from '../../shared/model/create-detector.js';
import type { DetectorModel } from '../../shared/model/detector-model.js';
import { MultiHotBuilder } from '../../shared/model/multi-hot.js';
import { initBackend } from '../../shared/runtime/backend.js';
import { batchGradient } from './batch-gradient.js';
import { Param, State, type WorkerSession, type WorkerStart } from './gradient-worker-protocol.js';

const { backend, control, port } = workerData as WorkerStart;
const word = new Int32Array(control);

class Session {
  private readonly model: DetectorModel;
  private readonly builder: MultiHotBuilder;
  private readonly params: Float64Array;
  private readonly weights: Float32Array;
  private readonly gradient: Float32Array;
  private readonly codes: Uint16Array;
  private readonly local: Float32Array;
  /**
   * The gathered histories as a table's history: slot s of row r is row r x steps + s of the
   * shared codes (an empty slot's codes are NO_FLOW, which the model reads as empty).
   */
  private readonly history: RowHistory | null;

  constructor(session: WorkerSession) {
    this.params = new Float64Array(session.params);
    this.weights = new Float32Array(session.weights);
    this.gradient = new Float32Array(session.gradient);
    this.codes = new Uint16Array(session.codes);
    this.local = new Float32Array(this.weights.length);
    this.model = createDetector(session.spec, this.local);
    this.builder = new MultiHotBuilder(new FlowEncoder(session.spec.encoder));
    this.history = session.history
      ? {
          steps: session.steps,
          source: new Uint16Array(session.history),
          rows: Int32Array.from({ length: session.maxRows * session.steps }, (_, i) => i),
        }
      : null;
  }

  step(): void {
    const p = this.params;
    this.local.set(this.weights);
    this.model.setWeights(this.local);
    const gradient = batchGradient(
      this.model,
      this.builder,
      this.codes,
      null,
      0,
      p[Param.Rows]!,
      {
        klWeight: p[Param.KlWeight]!,
        temperature: p[Param.Temperature]!,
        seed: p[Param.Seed]!,
        mixtureObjective: p[Param.Objective] === 0 ? 'exact' : 'gumbel-softmax',
        // 0 means the caller gave none.
        trainingRows: p[Param.TrainingRows] || undefined,
      },
      this.history,
    );
    this.gradient.set(gradient);
  }

  dispose(): void {
    this.model.dispose();
  }
}

// A backend that fails here fails every request, so the training thread hears why.
const failure = await initBackend(backend).then(
  () => null,
  (error: Error) => `the training worker could not start backend '${backend}': ${error.message}`,
);
let session: Session | null = null;
for (;;) {
  let state = Atomics.load(word, 0);
  while (state !== State.Step && state !== State.Configure && state !== State.Stop) {
    Atomics.wait(word, 0, state);
    state = Atomics.load(word, 0);
  }
  if (state === State.Stop) break;
  try {
    if (failure) throw new Error(failure);
    if (state === State.Configure) {
      session?.dispose();
      session = null;
      session = new Session(receiveMessageOnPort(port)!.message as WorkerSession);
    } else {
      session!.step();
    }
    Atomics.store(word, 0, State.Done);
  } catch (error) {
    port.postMessage(error instanceof Error ? error.message : String(error));
    Atomics.store(word, 0, State.Failed);
  }
  Atomics.notify(word, 0);
}
session?.dispose();
port.close();
