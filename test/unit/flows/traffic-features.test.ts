import { expect } from 'chai';
import { ZEEK_CONN_SCHEMA } from '../../../shared/flows/builtin-schemas.js';
import { defaultDeriveStages, derivedSchema } from '../../../shared/flows/derive.js';
import type { FlowContext } from '../../../shared/flows/flow-context.js';
import { schemaForFormat, zeekSchema } from '../../../shared/flows/format-schema.js';
import { HostWindow, HostWindows } from '../../../shared/flows/host-window.js';
import type { FlowRow } from '../../../shared/flows/schema.js';
import {
  bytesPerPacketCategory,
  DEFAULT_TRAFFIC_FEATURES,
  derivesTraffic,
  trafficDerivedIn,
  trafficFeatures,
} from '../../../shared/flows/traffic-features.js';

const fieldIndex = (name: string) => ZEEK_CONN_SCHEMA.fields.findIndex((f) => f.name === name);

/** A Zeek row with only what the features read filled in. */
function row(ts: number, src: string, dst: string, port: number, state = 'SF'): FlowRow {
  const values: (string | number)[] = ZEEK_CONN_SCHEMA.fields.map((f) =>
    f.kind === 'categorical' ? '-' : 0,
  );
  values[fieldIndex('conn_state')] = state;
  values[fieldIndex('orig_ip_bytes')] = 120;
  values[fieldIndex('orig_pkts')] = 3;
  const context: FlowContext = {
    ts,
    uid: null,
    srcAddr: src,
    srcPort: 40000,
    dstAddr: dst,
    dstPort: port,
  };
  return { line: 1, values, label: null, context };
}

/** Derives every row in order and returns each row's derived fields by name. */
function derive(rows: FlowRow[], settings?: Parameters<typeof trafficFeatures>[1]) {
  const stage = trafficFeatures(ZEEK_CONN_SCHEMA, settings)();
  return rows.map((r) => {
    const out: (string | number)[] = [];
    stage.derive(r, out);
    return Object.fromEntries(stage.fields.map((f, i) => [f.name, out[i]]));
  });
}

describe('per-host traffic features', () => {
  it('counts what a source did before each connection: connections, hosts, ports, failures', () => {
    const scan = [22, 23, 80, 443].map((port, i) =>
      row(100 + i, '10.0.0.9', '10.0.0.1', port, 'REJ'),
    );
    const derived = derive(scan);

    expect(derived.map((d) => d.src_conns)).to.deep.equal([0, 1, 2, 3]);
    expect(derived.map((d) => d.src_dst_ports)).to.deep.equal([0, 1, 2, 3]);
    expect(derived.map((d) => d.src_dst_hosts)).to.deep.equal([0, 1, 1, 1]);
    expect(derived.map((d) => d.src_failed_share)).to.deep.equal([0, 1, 1, 1]);
    expect(derived.map((d) => d.dst_src_hosts)).to.deep.equal([0, 1, 1, 1]);
  });

  it('forgets connections older than the window', () => {
    const derived = derive([row(0, 'a', 'b', 80), row(30, 'a', 'b', 80), row(61, 'a', 'b', 80)], {
      windowSeconds: 60,
      burstSeconds: 1,
      maxHosts: 10,
      maxConnectionsPerHost: 16,
      lastConnections: 0,
    });

    expect(derived.map((d) => d.src_conns)).to.deep.equal([0, 1, 1]);
    expect(derived.map((d) => d.src_same_endpoint_share)).to.deep.equal([0, 1, 1]);
  });

  it("describes a host's last N connections however old they are, so a slow scan's ports add up past the time window", () => {
    // One probe every 30 s: never more than two in a 60 s window.
    const slowScan = Array.from({ length: 8 }, (_, i) =>
      row(30 * i, 'scanner', '10.0.0.1', 1000 + i, 'REJ'),
    );
    const derived = derive(slowScan, { ...DEFAULT_TRAFFIC_FEATURES, lastConnections: 100 });

    expect(Math.max(...derived.map((d) => d.src_dst_ports as number))).to.equal(2);
    expect(derived.map((d) => d.src_last100_dst_ports)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(derived.map((d) => d.src_last100_span)).to.deep.equal([
      0, 30, 60, 90, 120, 150, 180, 210,
    ]);
    expect(derived[7]!.src_last100_failed_share).to.equal(1);
    expect(derived[7]!.dst_last100_src_hosts).to.equal(1);
    expect(derived[7]!.dst_last100_same_port_share).to.equal(0);
  });

  it('keeps only the last N connections: the oldest leaves as a new one enters', () => {
    const rows = [80, 81, 82, 83, 83].map((port, i) => row(10 * i, 'a', 'b', port));
    const derived = derive(rows, { ...DEFAULT_TRAFFIC_FEATURES, lastConnections: 3 });

    // Before the last row the window holds ports 81, 82, 83, from t=10 to t=30.
    expect(derived[4]!.src_last3_dst_ports).to.equal(3);
    expect(derived[4]!.src_last3_span).to.equal(30);
    expect(derived[4]!.src_last3_same_endpoint_share).to.equal(0.3333);
  });

  it('derives no last-N fields unless asked (the default)', () => {
    const names = trafficFeatures(ZEEK_CONN_SCHEMA)().fields.map((f) => f.name);
    expect(names.some((name) => name.includes('_last'))).to.equal(false);
  });

  it("reads from a model's fields what its scoring must derive, the last-N window included", () => {
    expect(trafficDerivedIn(zeekSchema(true, 50))).to.deep.equal({
      trafficFeatures: true,
      lastConnections: 50,
    });
    expect(trafficDerivedIn(zeekSchema())).to.deep.equal({
      trafficFeatures: true,
      lastConnections: 0,
    });
    expect(trafficDerivedIn(zeekSchema(false))).to.deep.equal({
      trafficFeatures: false,
      lastConnections: 0,
    });
  });

  it("says how much of a destination's traffic went to the same port", () => {
    const derived = derive([
      row(1, 'a', 'web', 80),
      row(2, 'b', 'web', 443),
      row(3, 'c', 'web', 80),
    ]);

    expect(derived[2]!.dst_same_port_share).to.equal(0.5);
    expect(derived[2]!.dst_conns).to.equal(2);
  });

  it("writes the originator's bytes per packet as a category, so a 40-byte SYN differs from a 60-byte one", () => {
    expect(derive([row(1, 'a', 'b', 80)])[0]!.orig_bytes_per_pkt).to.equal('40');
  });

  it('keeps header sizes to the 4-byte word and groups payload sizes by ~15% steps', () => {
    expect([40, 44, 60, 63, 127].map((b) => bytesPerPacketCategory(b, 1))).to.deep.equal([
      '40',
      '44',
      '60',
      '60',
      '124',
    ]);
    expect(bytesPerPacketCategory(1500, 1)).to.equal(bytesPerPacketCategory(1514, 1));
    expect(bytesPerPacketCategory(1500, 1)).to.not.equal(bytesPerPacketCategory(1200, 1));
    expect(bytesPerPacketCategory(128, 1)).to.equal('~128');
    expect(bytesPerPacketCategory(0, 0)).to.equal('0');
  });

  it('derives the same values on a second pass from fresh state (deterministic)', () => {
    const rows = Array.from({ length: 50 }, (_, i) =>
      row(i / 10, `h${i % 7}`, `d${i % 3}`, 80 + (i % 5)),
    );
    const factory = trafficFeatures(ZEEK_CONN_SCHEMA);
    const pass = () => {
      const stage = factory();
      return rows.map((r) => {
        const out: (string | number)[] = [];
        stage.derive(r, out);
        return out;
      });
    };

    expect(pass()).to.deep.equal(pass());
  });

  it('gives rows without a context the values of a quiet host, one per field', () => {
    const stage = trafficFeatures(ZEEK_CONN_SCHEMA)();
    const bare: FlowRow = { ...row(1, 'a', 'b', 80), context: undefined };
    const out: (string | number)[] = [];
    stage.derive(bare, out);

    expect(out).to.have.length(stage.fields.length);
    expect(out.slice(0, -1).every((v) => v === 0)).to.equal(true);
  });

  it('is on by default for Zeek, off for NSL-KDD, and off when asked', () => {
    const zeek = derivedSchema(ZEEK_CONN_SCHEMA, defaultDeriveStages('zeek', ZEEK_CONN_SCHEMA));
    const off = defaultDeriveStages('zeek', ZEEK_CONN_SCHEMA, { traffic: false });

    expect(derivesTraffic(zeek)).to.equal(true);
    expect(off).to.deep.equal([]);
    expect(defaultDeriveStages('nsl-kdd', ZEEK_CONN_SCHEMA)).to.deep.equal([]);
  });

  it('gives the coordinator the schema its sites derive, with or without traffic features', async () => {
    expect(await schemaForFormat('zeek')).to.deep.equal(zeekSchema());
    expect((await schemaForFormat('zeek', '', false)).fields).to.deep.equal(
      ZEEK_CONN_SCHEMA.fields,
    );
    expect((await schemaForFormat('nsl-kdd')).fields.some((f) => f.name === 'src_conns')).to.equal(
      false,
    );
  });

  it('refuses a read field named like a derived one, naming it and the setting that avoids it', () => {
    const schema = {
      name: 'csv',
      fields: [
        ...ZEEK_CONN_SCHEMA.fields,
        { name: 'src_conns', kind: 'numeric', numeric: 'count' },
      ],
    } as const;
    const stages = defaultDeriveStages('zeek', schema);

    expect(() => derivedSchema(schema, stages)).to.throw(
      /model field 'src_conns' is also the name of a derived traffic feature.*trafficFeatures/,
    );
    expect(derivedSchema(schema, defaultDeriveStages('zeek', schema, { traffic: false }))).to.equal(
      schema,
    );
  });

  it('derives for CSV only when the mapping names a timestamp and both addresses', () => {
    const named = { ts: 'Timestamp', srcAddr: 'Src IP', dstAddr: 'Dst IP' };
    const schema = { name: 'csv', fields: [] };

    expect(defaultDeriveStages('csv', schema, { csvContext: named })).to.have.length(1);
    expect(defaultDeriveStages('csv', schema, { csvContext: { ts: 'Timestamp' } })).to.deep.equal(
      [],
    );
    expect(defaultDeriveStages('csv', schema)).to.deep.equal([]);
  });
});

describe('host windows (bounded memory)', () => {
  it('keeps at most its capacity, its counts saturating there', () => {
    const window = new HostWindow(16);
    for (let i = 0; i < 100; i++) window.add(i / 1000, `peer${i}`, i, false, `peer${i} ${i}`);

    expect(window.connections).to.equal(16);
    expect(window.distinctPeers).to.equal(16);
    expect(window.distinctPorts).to.equal(16);
  });

  it('forgets the least recently seen host first once full', () => {
    const hosts = new HostWindows(2, 16);
    hosts.get('a', 0).add(1, 'x', 80, false, null);
    hosts.get('b', 0).add(1, 'x', 80, false, null);
    hosts.get('a', 0);
    hosts.get('c', 0);

    expect(hosts.get('a', 0).connections).to.equal(1);
    expect(hosts.get('b', 0).connections).to.equal(0);
  });

  it('forgets hosts whose windows hold nothing any more before any recently active one', () => {
    const hosts = new HostWindows(4, 16);
    hosts.get('active', 0).add(100, 'x', 80, false, null);
    for (const idle of ['i1', 'i2', 'i3']) hosts.get(idle, 0).add(1, 'x', 80, false, null);
    // 'active' is now the least recently seen, but the others' last connections left the window.
    hosts.get('new', 50);

    expect(hosts.get('active', 50).connections).to.equal(1);
  });
});
