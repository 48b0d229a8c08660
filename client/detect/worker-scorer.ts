/**
 * The encode worker's share of scoring. Once parsing got cheap the worker sat idle most of a
 * run while the main thread ran the model and wrote alert lines; so the worker scores every
 * few batches itself, with its own copy of the model on the same backend, and hands them over
 * scored. The same model, backend and rows give the same scores, so which thread scored a
 * batch changes nothing in the output. The model loads in the background: batches sent before
 * it is ready are scored on the main thread as before.
 */
import { FlowEncoder } from '../../shared/encoding/flow-encoder.js';
import { createDetector } from '../../shared/model/create-detector.js';
import type {
  BatchScores,
  DetectorModel,
  ScoreOptions,
} from '../../shared/model/detector-model.js';
import type { ModelSpec } from '../../shared/model/model-spec.js';
import { MultiHotBuilder } from '../../shared/model/multi-hot.js';
import { type BackendName, initBackend } from '../../shared/runtime/backend.js';
import { batchRows, type EncodedBatch } from './encoded-batch.js';

/** What the main thread gives the worker to score with. */
export interface WorkerScoring {
  readonly spec: ModelSpec;
  readonly weights: Float32Array;
  readonly backend: BackendName;
  readonly options: ScoreOptions;
  /** The share of batches the worker scores, spread evenly (the main thread scores the rest). */
  readonly share: number;
}

export class WorkerScorer {
  private model: { detector: DetectorModel; build: (b: EncodedBatch) => BatchScores } | null = null;
  private sent = 0;

  constructor(private readonly scoring: WorkerScoring) {}

  /** Loads the backend and the model (in the background: batches go unscored until then). */
  async load(): Promise<void> {
    await initBackend(this.scoring.backend);
    const detector = createDetector(this.scoring.spec, this.scoring.weights);
    const builder = new MultiHotBuilder(new FlowEncoder(this.scoring.spec.encoder));
    this.model = {
      detector,
      build: (batch) => detector.score(batchRows(builder, batch), this.scoring.options),
    };
  }

  /** The batch's scores when it is this worker's turn and the model is ready, else null. */
  scoreIfDue(batch: EncodedBatch): BatchScores | null {
    const { share } = this.scoring;
    const sent = this.sent++;
    // Batch k is the worker's when the worker's count of the first k + 1 batches steps up there.
    const due = Math.floor((sent + 1) * share) > Math.floor(sent * share);
    return due && this.model ? this.model.build(batch) : null;
  }
}
