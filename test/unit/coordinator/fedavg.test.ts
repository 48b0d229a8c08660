import { expect } from 'chai';
import { aggregateFedAvg, fedAvg } from '../../../coordinator/strategy/fedavg.js';

const f32 = (...values: number[]) => Float32Array.from(values);

describe('FedAvg aggregation', () => {
  it('moves the global weights by the example-weighted mean of the deltas', () => {
    // 100 and 300 examples: weights 0.25 and 0.75.
    // w0: 1 + 0.25*0.4 + 0.75*(-0.8) = 1 + 0.1 - 0.6 = 0.5
    // w1: -2 + 0.25*2 + 0.75*2 = 0
    // w2: 0.5 + 0.25*(-1) + 0.75*1 = 1
    const next = aggregateFedAvg(f32(1, -2, 0.5), [
      { clientId: 'a', delta: f32(0.4, 2, -1), examples: 100 },
      { clientId: 'b', delta: f32(-0.8, 2, 1), examples: 300 },
    ]);
    expect([...next].map((v) => Number(v.toFixed(6)))).to.deep.equal([0.5, 0, 1]);
  });

  it('returns global + delta for a single client whatever its example count', () => {
    const next = fedAvg.aggregate(
      f32(1, 2),
      [{ clientId: 'a', delta: f32(0.5, -0.5), examples: 7 }],
      null,
    ).weights;
    expect([...next]).to.deep.equal([1.5, 1.5]);
  });

  it('is plain FedAvg: no screening, no proximal term, no server state', () => {
    const { reports, state } = fedAvg.aggregate(
      f32(0),
      [
        { clientId: 'a', delta: f32(1), examples: 1 },
        { clientId: 'b', delta: f32(100), examples: 3 },
      ],
      null,
    );
    expect([fedAvg.name, fedAvg.siteTraining.proximalMu, state]).to.deep.equal(['fedavg', 0, null]);
    expect(reports.map((r) => [r.action, r.weight])).to.deep.equal([
      ['kept', 0.25],
      ['kept', 0.75],
    ]);
  });

  it('does not depend on the order of the clients', () => {
    const results = [
      { clientId: 'a', delta: f32(0.1, 0.2, 0.3), examples: 3 },
      { clientId: 'b', delta: f32(-0.3, 0.1, 0.7), examples: 5 },
      { clientId: 'c', delta: f32(0.9, -0.4, 0.2), examples: 11 },
    ];
    const global = f32(0, 1, 2);
    const forward = aggregateFedAvg(global, results);
    const backward = aggregateFedAvg(global, [...results].reverse());
    expect([...backward]).to.deep.equal([...forward]);
  });

  it('leaves its inputs unchanged', () => {
    const global = f32(1, 1);
    const delta = f32(1, 1);
    aggregateFedAvg(global, [{ clientId: 'a', delta, examples: 1 }]);
    expect([...global, ...delta]).to.deep.equal([1, 1, 1, 1]);
  });

  it('refuses no results, zero examples and a delta of the wrong length, naming the client', () => {
    expect(() => aggregateFedAvg(f32(1), [])).to.throw(/at least one/);
    expect(() => aggregateFedAvg(f32(1), [{ clientId: 'a', delta: f32(1), examples: 0 }])).to.throw(
      /a reported 0 examples; every site needs a positive number of examples/,
    );
    expect(() =>
      aggregateFedAvg(f32(1, 2), [{ clientId: 'acme', delta: f32(1), examples: 1 }]),
    ).to.throw(/acme has 1 values, the model 2/);
  });
});
