/**
 * What each phase makes of a closed round's accepted payloads: the first global model from the
 * encoder sketches, the strategy's inputs from the training deltas, the shared thresholds from
 * the calibration histograms. Pure, so the loop itself only sequences, persists and publishes.
 */
import { fitEncoder } from '../../shared/encoding/fit-encoder.js';
import { thresholdsFromHistogram } from '../../shared/federation/calibration.js';
import { mergeSketchPayloads } from '../../shared/federation/encoder-round.js';
import type {
  EncoderSketchPayload,
  ModelDeltaPayload,
  ScoreHistogramPayload,
} from '../../shared/federation/messages.js';
import { createModel } from '../../shared/model/create-model.js';
import type { GlobalModel } from '../store/federation-state.js';
import type { FederationPlan } from './federation-plan.js';
import type { TaskOutcome } from './run-tasks.js';

type Results = TaskOutcome['results'];

/** The encoder round: merge the sketches, fit the encoder, and initialise model version 1. */
export function initialModel(plan: FederationPlan, results: Results): GlobalModel {
  const sketches = results.map((r) => r.payload as EncoderSketchPayload);
  const merged = mergeSketchPayloads(plan.schema.fields, sketches, plan.kAnonymity);
  const encoder = fitEncoder(merged, plan.encoderFit);
  const fresh = createModel(plan.schema, encoder, plan.architecture, plan.seed);
  return {
    version: 1,
    spec: fresh.spec,
    weights: fresh.weights,
    thresholds: null,
  };
}

/** A training round's deltas as the strategy takes them, with each site's validation loss. */
export function trainingFits(results: Results) {
  return results.map(({ clientId, payload }) => {
    const p = payload as ModelDeltaPayload;
    return { clientId, delta: p.delta, examples: p.examples, validationLoss: p.validationLoss };
  });
}

/** The sites' validation losses, weighted by their training examples. */
export function meanValidationLoss(
  fits: readonly { examples: number; validationLoss: number }[],
): number {
  const examples = fits.reduce((n, f) => n + f.examples, 0);
  return fits.reduce((s, f) => s + f.validationLoss * f.examples, 0) / examples;
}

/** The calibration round: pool the sites' score histograms and place the shared thresholds. */
export function pooledThresholds(results: Results, targetFprs: readonly number[]) {
  const histograms = results.map((r) => r.payload as ScoreHistogramPayload);
  const counts = histograms[0]!.counts.map((_, b) =>
    histograms.reduce((s, h) => s + h.counts[b]!, 0),
  );
  return thresholdsFromHistogram(counts, targetFprs);
}
