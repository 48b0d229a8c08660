/**
 * The model a training round publishes. With float32 releases it is the aggregation's weights;
 * with quantised releases (plan.training.releaseBits 8 or 4) it is what every site holding the
 * version before reconstructs from the quantised change, and the aggregation's remainder waits
 * at the coordinator for the next release (shared/federation/release-delta.ts).
 */
import { quantizeRelease, releaseSeed } from '../../../shared/federation/release-delta.js';
import type { FederationState, GlobalModel } from '../../store/federation-state.js';
import type { FederationPlan } from '../federation-plan.js';

/** The next version made of `aggregated`, and the release delta that carries it (or null). */
export function releasedModel(
  plan: FederationPlan,
  state: FederationState,
  aggregated: Float32Array,
): Pick<FederationState, 'model' | 'release'> {
  const before = state.model!;
  const bits = plan.training.releaseBits;
  const version = before.version + 1;
  if (bits === 32) return { model: { ...before, version, weights: aggregated }, release: null };
  // What the last release left out, when it is the release of the version the round began from.
  const carried =
    state.release && state.release.baseVersion + 1 === before.version
      ? state.release.residual
      : null;
  const { weights, release } = quantizeRelease(
    before.weights,
    aggregated,
    carried,
    bits,
    before.version,
    releaseSeed(plan.seed, state.nextRound),
  );
  const model: GlobalModel = { ...before, version, weights };
  return { model, release };
}
