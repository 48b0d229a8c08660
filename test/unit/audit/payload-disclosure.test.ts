import { expect } from 'chai';
import { disclose, disclosureText } from '../../../shared/audit/payload-disclosure.js';

describe('what a kept payload disclosed', () => {
  it('lists every categorical value of a sketch with its count, and the non-empty numeric bins', () => {
    const d = disclose(
      {
        kind: 'sketch',
        rows: 10,
        categorical: [{ field: 'proto', values: ['tcp', 'udp', 'icmp'], counts: [7, 3, 0] }],
        numeric: [{ field: 'duration', counts: [0, 4, 0, 6] }],
      },
      100,
    );
    expect(d).to.deep.equal({
      kind: 'sketch',
      rows: 10,
      categorical: [{ field: 'proto', values: { tcp: 7, udp: 3, icmp: 0 } }],
      numeric: [{ field: 'duration', bins: { '1': 4, '3': 6 } }],
    });
    const text = disclosureText(
      { seq: 0, round: 0, type: 'sketch', disclosed: d, problem: null },
      1,
    );
    expect(text).to.equal(
      [
        "seq 0 round 0 sketch: 10 rows; each field's values and counts:",
        '    proto     tcp 7, and 2 more',
        '    duration  counts in 2 bins of the published log grid',
      ].join('\n'),
    );
  });

  it('gives a delta’s shape and norm, not its values', () => {
    const d = disclose(
      {
        kind: 'delta',
        modelVersion: 3,
        delta: Float32Array.of(3, 4),
        examples: 80,
        validationLoss: 12.5,
      },
      8,
    );
    expect(d).to.deep.equal({
      kind: 'delta',
      modelVersion: 3,
      parameters: 2,
      norm: 5,
      examples: 80,
      validationLoss: 12.5,
      bits: 32,
    });
  });

  it('gives a score histogram’s non-empty bins, and says when a copy is missing', () => {
    expect(
      disclose({ kind: 'histogram', modelVersion: 2, counts: [0, 5, 0, 1], flows: 6 }, 9),
    ).to.deep.equal({
      kind: 'histogram',
      modelVersion: 2,
      flows: 6,
      bins: { '1': 5, '3': 1 },
    });
    expect(
      disclosureText({ seq: 4, round: 2, type: 'delta', disclosed: null, problem: 'no kept copy' }),
    ).to.equal('seq 4 round 2 delta: no kept copy');
  });
});
