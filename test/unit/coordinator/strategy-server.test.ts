import { expect } from 'chai';
import { aggregationProblem } from '../../../coordinator/strategy/check-results.js';
import type { ServerState } from '../../../coordinator/strategy/strategy.js';
import { createStrategy } from '../../../coordinator/strategy/strategy-factory.js';
import {
  DEFAULT_STRATEGY,
  type ServerOptimizerName,
} from '../../../coordinator/strategy/strategy-settings.js';
import { expectClose, site } from './strategy-suite.js';

const f32 = (...values: number[]) => Float32Array.from(values);

/** Two rounds of one site sending u1 = [1, -2], then u2 = [3, 0], from w0 = [0, 0]. */
function twoRounds(name: ServerOptimizerName, tuning: Partial<typeof DEFAULT_STRATEGY> = {}) {
  const strategy = createStrategy({ ...DEFAULT_STRATEGY, name, ...tuning });
  const first = strategy.aggregate(f32(0, 0), [site('a', [1, -2], 4)], null);
  const second = strategy.aggregate(first.weights, [site('a', [3, 0], 9)], first.state);
  return { first, second };
}
const slots = (state: ServerState | null) => ({
  step: state?.step,
  ...Object.fromEntries(Object.entries(state?.slots ?? {}).map(([k, v]) => [k, [...v]])),
});
// Numbers chosen so the hand computation stays short: eta 1, beta1 0.5, beta2 0.5, tau 1.
const SIMPLE = { serverLearningRate: 1, serverMomentum: 0.5, beta2: 0.5, tau: 1 };

describe('server updates', () => {
  it('fedavg steps by eta times the combined update and keeps no state', () => {
    const { first } = twoRounds('fedavg', { serverLearningRate: 0.5 });
    expect([...first.weights]).to.deep.equal([0.5, -1]);
    expect(first.state).to.equal(null);
  });

  it('fedavgm adds beta1 times the last momentum to the update (Hsu et al. 2019)', () => {
    const { first, second } = twoRounds('fedavgm', SIMPLE);
    // m1 = u1 = [1, -2]; w1 = [1, -2]. m2 = 0.5 m1 + u2 = [3.5, -1]; w2 = w1 + m2 = [4.5, -3].
    expect([...first.weights]).to.deep.equal([1, -2]);
    expect([...second.weights]).to.deep.equal([4.5, -3]);
    expect(slots(second.state)).to.deep.equal({ step: 2, momentum: [3.5, -1] });
  });

  it('fedadam scales the momentum by the root of the running squared update (Reddi et al. 2021)', () => {
    const { first, second } = twoRounds('fedadam', SIMPLE);
    // m1 = 0.5 u1 = [0.5, -1]; v1 = 0.5 tau^2 + 0.5 u1^2 = [1, 2.5]; w1 = m1 / (sqrt(v1) + 1).
    const w1 = [0.5 / 2, -1 / (Math.sqrt(2.5) + 1)];
    expectClose(first.weights, w1);
    // m2 = 0.5 m1 + 0.5 u2 = [1.75, -0.5]; v2 = 0.5 v1 + 0.5 u2^2 = [5, 1.25].
    expectClose(second.weights, [
      w1[0]! + 1.75 / (Math.sqrt(5) + 1),
      w1[1]! - 0.5 / (Math.sqrt(1.25) + 1),
    ]);
    expect(slots(second.state)).to.deep.equal({
      step: 2,
      momentum: [1.75, -0.5],
      variance: [5, 1.25],
    });
  });

  it('fedyogi moves the second moment by (1 - beta2) u^2 toward u^2 (Reddi et al. 2021)', () => {
    const { first, second } = twoRounds('fedyogi', SIMPLE);
    // v1 = v0 - 0.5 u1^2 sign(v0 - u1^2) = [1 - 0.5 * 1 * 0, 1 + 0.5 * 4] = [1, 3].
    const w1 = [0.5 / 2, -1 / (Math.sqrt(3) + 1)];
    expectClose(first.weights, w1);
    // v2 = [1 + 0.5 * 9, 3 - 0.5 * 0 * 1] = [5.5, 3]; m2 = [1.75, -0.5] as for fedadam.
    expectClose(second.weights, [
      w1[0]! + 1.75 / (Math.sqrt(5.5) + 1),
      w1[1]! - 0.5 / (Math.sqrt(3) + 1),
    ]);
    expect(slots(second.state)).to.deep.equal({
      step: 2,
      momentum: [1.75, -0.5],
      variance: [5.5, 3],
    });
  });

  it('refuses a state written by another optimiser instead of restarting its moments', () => {
    const { second } = twoRounds('fedavgm', SIMPLE);
    const fedadam = createStrategy({ ...DEFAULT_STRATEGY, name: 'fedadam' });
    expect(() => fedadam.aggregate(f32(0, 0), [site('a', [1, 1], 1)], second.state)).to.throw(
      'the server state was written by fedavgm; fedadam cannot continue from it',
    );
    // FedAdam's and FedYogi's slots share names but not meaning.
    const adam = twoRounds('fedadam', SIMPLE).second.state;
    const fedyogi = createStrategy({ ...DEFAULT_STRATEGY, name: 'fedyogi' });
    expect(() => fedyogi.aggregate(f32(0, 0), [site('a', [1, 1], 1)], adam)).to.throw(
      'the server state was written by fedadam; fedyogi cannot continue from it',
    );
  });

  it('refuses a state of the right optimiser whose slot does not fit the model', () => {
    const { second } = twoRounds('fedavgm', SIMPLE);
    const fedavgm = createStrategy({ ...DEFAULT_STRATEGY, name: 'fedavgm' });
    expect(() => fedavgm.aggregate(f32(0, 0, 0), [site('a', [1, 1, 1], 1)], second.state)).to.throw(
      "fedavgm needs server state slot 'momentum' of 3 values, found 2 values",
    );
  });
});

describe('aggregations that must not be published', () => {
  it('names a server slot that overflowed float32 even when the weights stayed finite', () => {
    // A 1e21 update is finite, its square is not in float32; the weights move by about eta.
    const fedadam = createStrategy({
      ...DEFAULT_STRATEGY,
      name: 'fedadam',
      screening: { ...DEFAULT_STRATEGY.screening, method: 'none' },
    });
    const aggregation = fedadam.aggregate(f32(0, 0), [site('a', [1e21, 1], 1)], null);
    expect(aggregation.weights.every(Number.isFinite)).to.equal(true);
    expect(aggregationProblem(aggregation)).to.equal('server variance 0 is Infinity');
  });

  it('names the first weight that is not finite', () => {
    const aggregation = createStrategy(DEFAULT_STRATEGY).aggregate(
      f32(3e38, 0),
      [site('a', [3e38, 1], 1)],
      null,
    );
    expect(aggregationProblem(aggregation)).to.equal('aggregated weight 0 is Infinity');
  });

  it('passes a finite aggregation', () => {
    const aggregation = createStrategy(DEFAULT_STRATEGY).aggregate(
      f32(0, 0),
      [site('a', [1, 1], 1)],
      null,
    );
    expect(aggregationProblem(aggregation)).to.equal(null);
  });
});
