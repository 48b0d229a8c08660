/** The protocols a federation runs, by phase: the encoder round, training rounds, calibration. */
import type { AggregationStrategy } from '../../strategy/strategy.js';
import type { FederationPlan } from '../federation-plan.js';
import type { RoundProtocol } from '../round-protocol.js';
import { calibrationRound } from './calibration-round.js';
import { encoderRound } from './encoder-round.js';
import { trainingRound } from './training-round.js';

export function federationProtocols(
  plan: FederationPlan,
  strategy: AggregationStrategy,
): readonly RoundProtocol[] {
  return [encoderRound(plan), trainingRound(plan, strategy), calibrationRound(plan)];
}
