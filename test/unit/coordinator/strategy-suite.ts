/**
 * The properties every aggregation strategy has, as one suite run against each implementation
 * (Hono's runTest({ newRouter }) style; strategy.test.ts runs it), plus shared fixtures.
 */
import { expect } from 'chai';
import type {
  Aggregation,
  AggregationStrategy,
  FitResult,
  ServerState,
} from '../../../coordinator/strategy/strategy.js';
import { createStrategy } from '../../../coordinator/strategy/strategy-factory.js';
import {
  DEFAULT_STRATEGY,
  type ScreeningName,
  type ServerOptimizerName,
  type StrategySettings,
} from '../../../coordinator/strategy/strategy-settings.js';

export const site = (clientId: string, delta: number[], examples: number): FitResult => ({
  clientId,
  delta: Float32Array.from(delta),
  examples,
});

/** Settings for one combination; adaptive steps move each weight by about eta, so eta 0.1. */
export function settingsFor(name: ServerOptimizerName, method: ScreeningName): StrategySettings {
  const serverLearningRate = name === 'fedadam' || name === 'fedyogi' ? 0.1 : 1;
  const screening = { ...DEFAULT_STRATEGY.screening, method };
  return { ...DEFAULT_STRATEGY, name, serverLearningRate, screening };
}

/** One round of plain FedAvg with the given screening, from zero weights. */
export function screenWith(method: ScreeningName, results: readonly FitResult[], tuning = {}) {
  const settings = settingsFor('fedavg', method);
  const screening = { ...settings.screening, ...tuning };
  const global = new Float32Array(results[0]!.delta.length);
  return createStrategy({ ...settings, screening }).aggregate(global, results, null);
}

export const GLOBAL = Float32Array.from([0.5, -1, 2, 0]);
/** Five sites of similar norms (none over 2x the median norm); 'd' is the most central. */
export const SITES: readonly FitResult[] = [
  site('a', [0.1, 0.2, -0.3, 0.05], 30),
  site('b', [0.3, -0.1, 0.2, 0], 50),
  site('c', [-0.2, 0.1, 0.1, -0.1], 20),
  site('d', [0.15, 0.05, -0.1, 0.2], 40),
  site('e', [0.05, 0.1, 0, 0.1], 10),
];
/** Magnitudes 1e15 apart in a coordinate: float sums depend on the order of the terms. */
const ORDER_SENSITIVE = [
  [1e15, 0.1, -3, 0.3],
  [0.3, -1e15, 2, 0.5],
  [-1e15, 1e15, 0.3, 3],
  [0.5, 0.3, 1e15, -1e-3],
  [-0.25, 7, -1e15, 2],
].map((delta, k) => site(`o${k}`, delta, 10));
/** Equal deltas: Multi-Krum's equal scores must rank the same way whatever the order. */
const TIED = [3, 50, 7, 11, 2].map((n, k) => site(`t${k}`, [0.2, -0.4, 0.1, 0.3], n));
const ORDERS = [
  [4, 3, 2, 1, 0],
  [2, 0, 4, 1, 3],
  [1, 2, 3, 4, 0],
];
const zeroed = (s: FitResult) => ({ ...s, delta: new Float32Array(s.delta.length) });

export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance = 1e-6,
) {
  expect(actual.length).to.equal(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const slack = tolerance * Math.max(1, Math.abs(expected[i]!));
    expect(actual[i], `value ${i}`).to.be.closeTo(expected[i]!, slack);
  }
}

/** Weights, update, step and slots as one flat list, to compare with a tolerance. */
function outcomeValues({ weights, update, state }: Aggregation): number[] {
  const slots = Object.keys(state?.slots ?? {})
    .sort()
    .flatMap((name) => [...state!.slots[name]!]);
  return [...weights, ...update, state?.step ?? 0, ...slots];
}

/** Everything that must not depend on the order of the results, reports keyed by site. */
const orderFree = ({ reports, ...rest }: Aggregation) => ({
  ...rest,
  reports: Object.fromEntries(reports.map((r) => [r.clientId, r])),
});

/** Three rounds over SITES (deltas changing per round), carrying the state through `carry`. */
function runRounds(strategy: AggregationStrategy, carry = (s: ServerState | null) => s) {
  const rounds: Aggregation[] = [];
  let [global, state]: [Float32Array, ServerState | null] = [GLOBAL, null];
  for (const scale of [1, -0.5, 2]) {
    const results = SITES.map((s) => ({ ...s, delta: s.delta.map((v) => v * scale) }));
    rounds.push(strategy.aggregate(global, results, carry(state)));
    [global, state] = [rounds.at(-1)!.weights, rounds.at(-1)!.state];
  }
  return rounds;
}

const distance = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Math.hypot(...Array.from(a, (v, i) => v - b[i]!));

export interface SuiteOptions {
  /** A site with 2n examples counts as two with n each (not Multi-Krum: it counts sites). */
  readonly splitsLikeExamples: boolean;
}

export function runStrategySuite(
  name: string,
  newStrategy: () => AggregationStrategy,
  options: SuiteOptions,
): void {
  describe(`${name} strategy (shared suite)`, () => {
    const aggregate = (results: readonly FitResult[], state: ServerState | null = null) =>
      newStrategy().aggregate(GLOBAL, results, state);
    const expectSame = (actual: Aggregation, expected: Aggregation) =>
      expectClose(outcomeValues(actual), outcomeValues(expected));
    const stateAfterOneRound = () => aggregate(SITES).state;

    it('gives many sites sending one delta the result of a single site sending it', () => {
      const delta = [0.2, -0.4, 0.1, 0.3];
      const many = [3, 50, 7, 11, 2].map((n, k) => site(`s${k}`, delta, n));
      const one = [site('solo', delta, 9)];
      expectSame(aggregate(many), aggregate(one));
      expectSame(aggregate(many, aggregate(many).state), aggregate(one, aggregate(one).state));
    });

    it('changes nothing when every example count is multiplied by a constant', () => {
      const scaled = aggregate(SITES.map((s) => ({ ...s, examples: s.examples * 7 })));
      expectSame(scaled, aggregate(SITES));
      const weights = (a: Aggregation) => a.reports.map((r) => r.weight);
      expectClose(weights(scaled), weights(aggregate(SITES)));
    });

    it('moves the combined update toward a site that gains examples from another', () => {
      const moved = SITES.map((s) => ({
        ...s,
        examples: { b: 10, d: 80 }[s.clientId] ?? s.examples,
      }));
      const d = SITES[3]!.delta;
      // A robust statistic need not move for every shift; with d gaining this much, all do.
      expect(distance(aggregate(moved).update, d)).to.be.below(
        distance(aggregate(SITES).update, d),
      );
    });

    if (options.splitsLikeExamples) {
      it('counts a site with 2n examples as two sites with n examples sending its delta', () => {
        const b = SITES[1]!;
        const half = (clientId: string) => ({ ...b, clientId, examples: b.examples / 2 });
        expectSame(
          aggregate([...SITES.filter((s) => s !== b), half('b1'), half('b2')]),
          aggregate(SITES),
        );
      });
    }

    it('gives bit-identical weights, update, state and reports for any order of the results', () => {
      const state = stateAfterOneRound();
      for (const fixture of [SITES, ORDER_SENSITIVE, TIED]) {
        const expected = orderFree(aggregate(fixture, state));
        for (const results of ORDERS.map((order) => order.map((k) => fixture[k]!))) {
          const actual = aggregate(results, state);
          expect(actual.reports.map((r) => r.clientId)).to.deep.equal(
            results.map((r) => r.clientId),
          );
          expect(orderFree(actual)).to.deep.equal(expected);
        }
      }
    });

    it('gives identical outputs for the same inputs twice', () => {
      const state = stateAfterOneRound();
      expect(aggregate(SITES, state)).to.deep.equal(aggregate(SITES, state));
    });

    it('leaves the global weights, the deltas and the state passed in unchanged', () => {
      const state = stateAfterOneRound();
      const copies = structuredClone({ global: GLOBAL, sites: SITES, state });
      newStrategy().aggregate(GLOBAL, SITES, state);
      expect({ global: GLOBAL, sites: SITES, state }).to.deep.equal(copies);
    });

    it('reports one update per result, with shares of the combined update that sum to 1', () => {
      const { reports } = aggregate(SITES);
      expect(reports).to.have.length(SITES.length);
      for (const r of reports) expect(r.weight).to.be.within(0, r.action === 'excluded' ? 0 : 1);
      expect(reports.reduce((sum, r) => sum + r.weight, 0)).to.be.closeTo(1, 1e-12);
    });

    it('stays finite on all-zero and partly zero deltas, reporting norm 0 and cosine 0 for them', () => {
      const allZero = SITES.map(zeroed);
      const partlyZero = SITES.map((s, k) => (k % 2 ? zeroed(s) : s));
      for (const [results, state] of [allZero, partlyZero].flatMap(
        (r) =>
          [
            [r, null],
            [r, stateAfterOneRound()],
          ] as const,
      )) {
        const result = aggregate(results, state);
        expect(outcomeValues(result).every(Number.isFinite), 'weights, update, state').to.equal(
          true,
        );
        const zeros = result.reports.filter((_, k) => results[k]!.delta.every((v) => v === 0));
        expect(zeros.map((r) => [r.norm, r.cosine])).to.deep.equal(zeros.map(() => [0, 0]));
        expect(result.reports.every((r) => Number.isFinite(r.cosine + r.weight))).to.equal(true);
      }
    });

    it('gives the same weights over 3 rounds whether the state is passed straight or cloned', () => {
      const straight = runRounds(newStrategy());
      const persisted = runRounds(newStrategy(), (s) => structuredClone(s));
      expect(persisted.map((r) => r.weights)).to.deep.equal(straight.map((r) => r.weights));
      expect(persisted.at(-1)!.state).to.deep.equal(straight.at(-1)!.state);
    });
  });
}
