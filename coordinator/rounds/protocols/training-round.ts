/**
 * A training round: every site trains the published model on its flows and sends the change of
 * its weights; the aggregation strategy (FedAvg, FedProx, server optimisers, screening) makes
 * the next model from them.
 */
import type { UpdateBits } from '../../../shared/codec/block-quantizer.js';
import type { ModelDeltaPayload } from '../../../shared/federation/messages.js';
import { privacySpent } from '../../privacy/gaussian-accountant.js';
import type { GlobalModel } from '../../store/federation-state.js';
import { aggregationProblem } from '../../strategy/check-results.js';
import type { AggregationStrategy } from '../../strategy/strategy.js';
import type { FederationPlan } from '../federation-plan.js';
import { modelVersionProblem, type RoundProtocol, type StepResults } from '../round-protocol.js';
import { releasedModel } from './released-model.js';

/**
 * The largest change of one weight a delta may carry. Honest rounds move a weight by at most
 * steps x learning rate (about 0.4 with the defaults); the bound keeps every sum of deltas,
 * every weight and every server moment finite in float32, so one site's finite but huge
 * delta is refused on its own and the round goes on with the others.
 */
export const MAX_DELTA_MAGNITUDE = 1e6;

export function trainingRound(plan: FederationPlan, strategy: AggregationStrategy): RoundProtocol {
  return {
    phase: 'training',
    steps: [
      {
        kind: 'train',
        check: (payload, { model, maxRows, task }) =>
          deltaProblem(payload as ModelDeltaPayload, model, maxRows) ??
          encodingProblem(payload as ModelDeltaPayload, task.training.updateBits),
      },
    ],
    position: (state) => ({ round: state.nextRound, modelVersion: state.model!.version }),
    close: ([results], state) => {
      const before = state.model!;
      const round = state.nextRound;
      const fits = trainingFits(results!);
      const aggregation = strategy.aggregate(before.weights, fits, state.serverState);
      const problem = aggregationProblem(aggregation);
      // Nothing is published and the previous model stays; the round runs again.
      if (problem) return { failed: `aggregation not published: ${problem}` };
      const byClient = new Map(
        aggregation.reports.map(({ clientId, ...update }) => [clientId, update]),
      );
      const released = releasedModel(plan, state, aggregation.weights);
      const privacy = privacyAfter(plan, round);
      return {
        state: {
          ...state,
          phase: nextTrainingPhase(plan, round, privacy?.budgetSpent ?? false),
          nextRound: round + 1,
          ...released,
          serverState: aggregation.state,
        },
        amend: (record) => ({
          ...record,
          results: record.results.map((r) => ({ ...r, update: byClient.get(r.clientId) })),
          strategy: strategy.name,
          validationLoss: meanValidationLoss(fits),
          ...(privacy ? { privacy: privacy.spent } : {}),
        }),
        log: [
          ...aggregation.reports
            .filter((r) => r.action !== 'kept')
            .map((r) => `round ${round}: ${r.clientId}: update ${r.action}: ${r.reason}`),
          ...(privacy ? [privacy.line] : []),
        ],
      };
    },
  };
}

/** After training round `round`: another one, or calibration (the last round, or the budget spent). */
export function nextTrainingPhase(plan: FederationPlan, round: number, budgetSpent = false) {
  return round >= plan.rounds || budgetSpent ? ('calibration' as const) : ('training' as const);
}

/**
 * Under differential privacy: what the published rounds up to `round` have spent, and whether
 * another round would take it past the budget (training then stops; calibration runs).
 */
function privacyAfter(plan: FederationPlan, round: number) {
  const p = plan.privacy;
  if (!p) return null;
  const spent = privacySpent(p.noiseMultiplier, round, p.delta, p.earlierLoad);
  const next = privacySpent(p.noiseMultiplier, round + 1, p.delta, p.earlierLoad).epsilon;
  const budgetSpent = p.epsilonBudget > 0 && next > p.epsilonBudget && round < plan.rounds;
  const line = budgetSpent
    ? `round ${round}: privacy spent epsilon ${spent.epsilon.toFixed(3)} (delta ${p.delta}); another round would spend ${next.toFixed(3)}, past the budget ${p.epsilonBudget}: training stops`
    : `round ${round}: privacy spent epsilon ${spent.epsilon.toFixed(3)} (delta ${p.delta})`;
  return { spent, budgetSpent, line };
}

/** Why a delta cannot be aggregated into `model`, or null. */
export function deltaProblem(
  payload: ModelDeltaPayload,
  model: GlobalModel | null,
  maxRows: number,
): string | null {
  const stale = modelVersionProblem(payload, model);
  if (stale) return stale;
  if (payload.delta.length !== model!.weights.length)
    return `delta has ${payload.delta.length} values, the model has ${model!.weights.length}`;
  for (let i = 0; i < payload.delta.length; i++) {
    const v = payload.delta[i]!;
    if (!Number.isFinite(v)) return `delta value ${i} is ${v}`;
    if (Math.abs(v) > MAX_DELTA_MAGNITUDE)
      return `delta value ${i} is ${v}, beyond the +-${MAX_DELTA_MAGNITUDE} a round of training can move a weight`;
  }
  if (!(Number.isInteger(payload.examples) && payload.examples > 0))
    return `examples must be a positive integer, got ${payload.examples}`;
  if (payload.examples > maxRows)
    return `claims ${payload.examples} examples, more than the ${maxRows} rows this site declared`;
  if (!Number.isFinite(payload.validationLoss))
    return `validation loss is ${payload.validationLoss}`;
  return null;
}

/**
 * Why a delta is not sent the way the round asked (the published update width), or null: an
 * auditor reading the round's settings can then tell what every accepted delta carried.
 */
function encodingProblem(payload: ModelDeltaPayload, bits: UpdateBits): string | null {
  const sent = payload.quantized?.bits ?? 32;
  if (sent === bits) return null;
  return `delta sent with ${sent}-bit values, the round asks for ${bits}-bit`;
}

/** A training round's deltas as the strategy takes them, with each site's validation loss. */
function trainingFits(results: StepResults) {
  return results.map(({ clientId, payload }) => {
    const p = payload as ModelDeltaPayload;
    return { clientId, delta: p.delta, examples: p.examples, validationLoss: p.validationLoss };
  });
}

/** The sites' validation losses, weighted by their training examples. */
function meanValidationLoss(fits: readonly { examples: number; validationLoss: number }[]): number {
  const examples = fits.reduce((n, f) => n + f.examples, 0);
  return fits.reduce((s, f) => s + f.validationLoss * f.examples, 0) / examples;
}
