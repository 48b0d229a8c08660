/**
 * The calibration round: every site scores its calibration split with the final model and sends
 * a histogram of the scores; the pooled histogram places the shared thresholds.
 */
import {
  histogramProblem,
  thresholdsFromHistogram,
} from '../../../shared/federation/calibration.js';
import type { ScoreHistogramPayload } from '../../../shared/federation/messages.js';
import type { FederationPlan } from '../federation-plan.js';
import { modelVersionProblem, type RoundProtocol, type StepResults } from '../round-protocol.js';

export function calibrationRound(plan: FederationPlan): RoundProtocol {
  return {
    phase: 'calibration',
    steps: [
      {
        kind: 'calibrate',
        check: (payload, { model, maxRows }) => {
          const histogram = payload as ScoreHistogramPayload;
          const stale = modelVersionProblem(histogram, model);
          if (stale) return stale;
          if (histogram.flows > maxRows)
            return `histogram claims ${histogram.flows} flows, more than the ${maxRows} rows this site declared`;
          return histogramProblem(histogram.counts, histogram.flows);
        },
      },
    ],
    position: (state) => ({ round: plan.rounds + 1, modelVersion: state.model!.version }),
    close: ([histograms], state) => ({
      state: {
        ...state,
        phase: 'done',
        model: { ...state.model!, thresholds: pooledThresholds(histograms!, plan.targetFprs) },
      },
    }),
  };
}

/** Pools the sites' score histograms and places the shared thresholds. */
export function pooledThresholds(results: StepResults, targetFprs: readonly number[]) {
  const histograms = results.map((r) => r.payload as ScoreHistogramPayload);
  const counts = histograms[0]!.counts.map((_, b) =>
    histograms.reduce((s, h) => s + h.counts[b]!, 0),
  );
  return thresholdsFromHistogram(counts, targetFprs);
}
