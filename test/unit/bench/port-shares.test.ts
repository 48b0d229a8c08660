import { expect } from 'chai';
import { PortShareTracker } from '../../../bench/evasion/port-shares.js';
import { ZEEK_CONN_SCHEMA } from '../../../shared/flows/builtin-schemas.js';
import type { FlowRow } from '../../../shared/flows/schema.js';
import { trafficFeatures } from '../../../shared/flows/traffic-features.js';

/** A connection at `ts` from one of three hosts to one of three servers, on one of four ports. */
function connection(i: number): FlowRow {
  const ts = 1000 + i * 2.1;
  const port = [80, 443, 23, 50][(i * 7) % 4]!;
  const values = [
    'tcp',
    '-',
    i % 3 ? 'SF' : 'S0',
    'S',
    String(port),
    '-',
    '-',
    1,
    10,
    10,
    0,
    2,
    90,
    1,
    50,
  ];
  return {
    line: i + 1,
    values,
    label: null,
    context: {
      ts,
      uid: null,
      srcAddr: `10.0.0.${i % 3}`,
      srcPort: 40000 + i,
      dstAddr: `10.0.1.${(i * 5) % 3}`,
      dstPort: port,
    },
  };
}

/** The same connection sent to another port (context and model field alike). */
function movedTo(row: FlowRow, port: number): FlowRow {
  const values = [...row.values];
  values[4] = String(port);
  return { ...row, values, context: { ...row.context!, dstPort: port } };
}

function stageShares(rows: readonly FlowRow[]): { srcSameEndpoint: number; dstSamePort: number }[] {
  const stage = trafficFeatures(ZEEK_CONN_SCHEMA)();
  const src = stage.fields.findIndex((f) => f.name === 'src_same_endpoint_share');
  const dst = stage.fields.findIndex((f) => f.name === 'dst_same_port_share');
  return rows.map((row) => {
    const out: (string | number)[] = [];
    stage.derive(row, out);
    return { srcSameEndpoint: out[src] as number, dstSamePort: out[dst] as number };
  });
}

describe('port shares for a moved flow', () => {
  const rows = Array.from({ length: 60 }, (_, i) => connection(i));
  /** Every third connection is the attacker's. */
  const attacker = (i: number) => i % 3 === 0;

  it("give the traffic-feature stage's own shares when nothing moves", () => {
    const tracker = new PortShareTracker();
    const expected = stageShares(rows);
    expect(rows.map((row) => tracker.next(row, false))).to.deep.equal(expected);
    expect(
      expected.filter((s) => s.srcSameEndpoint > 0).length,
      'non-zero shares',
    ).to.be.greaterThan(10);
  });

  it("give the stage's shares of a capture in which every attacker flow went to the new port", () => {
    const tracker = new PortShareTracker(8080);
    const expected = stageShares(rows.map((row, i) => (attacker(i) ? movedTo(row, 8080) : row)));
    expect(rows.map((row, i) => tracker.next(row, attacker(i)))).to.deep.equal(expected);
    expect(
      expected.filter((s, i) => attacker(i) && s.srcSameEndpoint > 0).length,
    ).to.be.greaterThan(5);
  });
});
