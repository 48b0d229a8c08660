/** The protocols a federation runs, by phase: the encoder round, training rounds, calibration. */
import { randomInt } from 'node:crypto';
import type { AggregationStrategy } from '../../strategy/strategy.js';
import type { FederationPlan } from '../federation-plan.js';
import type { RoundProtocol } from '../round-protocol.js';
import { calibrationRound } from './calibration-round.js';
import { encoderRound } from './encoder-round.js';
import { secureTrainingRound } from './secure-training-round.js';
import { trainingRound } from './training-round.js';

export function federationProtocols(
  plan: FederationPlan,
  strategy: AggregationStrategy,
): readonly RoundProtocol[] {
  const training = plan.secureAggregation
    ? secureTrainingRound(plan, plan.secureAggregation, strategy, cryptoShuffle)
    : trainingRound(plan, strategy);
  return [encoderRound(plan), training, calibrationRound(plan)];
}

/** Fisher-Yates with the CSPRNG: no site can predict or choose its neighbours. */
function cryptoShuffle<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
