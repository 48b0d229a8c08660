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

describe('port shares for a moved flow', () => {
  it("give the traffic-feature stage's own shares at the flow's own port, flow after flow", () => {
    const stage = trafficFeatures(ZEEK_CONN_SCHEMA)();
    const src = stage.fields.findIndex((f) => f.name === 'src_same_endpoint_share');
    const dst = stage.fields.findIndex((f) => f.name === 'dst_same_port_share');
    const tracker = new PortShareTracker();
    let nonZero = 0;
    for (let i = 0; i < 60; i++) {
      const row = connection(i);
      const out: (string | number)[] = [];
      stage.derive(row, out);
      const own = String(row.context!.dstPort);
      const shares = tracker.next(row, [own, '8080'])!;
      expect(shares.get(own)).to.deep.equal({ srcSameEndpoint: out[src], dstSamePort: out[dst] });
      // Nobody used 8080 before: a flow moved there is the first of its kind.
      expect(shares.get('8080')).to.deep.equal({ srcSameEndpoint: 0, dstSamePort: 0 });
      if ((out[src] as number) > 0) nonZero++;
    }
    expect(nonZero, 'the sequence exercises non-zero shares').to.be.greaterThan(10);
  });
});
