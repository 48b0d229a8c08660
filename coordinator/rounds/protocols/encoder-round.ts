/**
 * The encoder round: every site sends a sketch of its fields (value counts over the k-anonymity
 * floor, quantile sketches); the merged sketches fit the shared encoder, and the first global
 * model is initialised on it.
 */
import { fitEncoder } from '../../../shared/encoding/fit-encoder.js';
import {
  MIN_SKETCH_COUNT,
  mergeSketchPayloads,
  sketchProblem,
} from '../../../shared/federation/encoder-round.js';
import type { EncoderSketchPayload } from '../../../shared/federation/messages.js';
import { createModel } from '../../../shared/model/create-model.js';
import type { GlobalModel } from '../../store/federation-state.js';
import type { FederationPlan } from '../federation-plan.js';
import type { RoundProtocol, StepResults } from '../round-protocol.js';

export function encoderRound(plan: FederationPlan): RoundProtocol {
  return {
    phase: 'encoder',
    steps: [
      {
        kind: 'sketch',
        check: (payload, { task, model }) =>
          model
            ? 'the encoder is already fitted'
            : sketchProblem(plan.schema, payload as EncoderSketchPayload, {
                minCount: Math.max(MIN_SKETCH_COUNT, task.minCategoryCount),
                maxRows: plan.maxSiteRows,
                maxValues: task.maxCategoryValues,
              }),
      },
    ],
    position: () => ({ round: 0, modelVersion: 0 }),
    close: ([sketches], state) => ({
      state: { ...state, phase: 'training', model: initialModel(plan, sketches!), release: null },
    }),
  };
}

/** Merges the sketches, fits the encoder, and initialises the job's first model version. */
export function initialModel(plan: FederationPlan, results: StepResults): GlobalModel {
  const sketches = results.map((r) => r.payload as EncoderSketchPayload);
  const merged = mergeSketchPayloads(plan.schema.fields, sketches, plan.kAnonymity);
  const encoder = fitEncoder(merged, plan.encoderFit);
  const fresh = createModel(plan.schema, encoder, plan.architecture, plan.seed, plan.modelKind);
  return {
    version: plan.firstVersion ?? 1,
    spec: fresh.spec,
    weights: fresh.weights,
    thresholds: null,
  };
}
