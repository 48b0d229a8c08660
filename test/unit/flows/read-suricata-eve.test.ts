import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { EVE_FLOW_FIELDS } from '../../../shared/flows/builtin-schemas.js';
import { schemaForFormat } from '../../../shared/flows/format-schema.js';
import { openPipeline } from '../../../shared/flows/pipeline.js';
import { openFlows } from '../../../shared/flows/readers.js';
import { FlowFormatError } from '../../../shared/flows/schema.js';
import { FixtureDir, fieldValue, issueLog, readAll } from './fixtures.js';

/** A Suricata flow event as eve.json writes it, with some keys replaced. */
function flowEvent(overrides: Record<string, unknown> = {}, flow: Record<string, unknown> = {}) {
  return JSON.stringify({
    timestamp: '2023-11-14T22:13:25.000000+0000',
    flow_id: 1394562087356723,
    in_iface: 'eth0',
    event_type: 'flow',
    src_ip: '10.0.0.5',
    src_port: 51234,
    dest_ip: '203.0.113.9',
    dest_port: 443,
    proto: 'TCP',
    app_proto: 'tls',
    flow: {
      pkts_toserver: 12,
      pkts_toclient: 10,
      bytes_toserver: 1800,
      bytes_toclient: 9000,
      start: '2023-11-14T22:13:20.000000+0000',
      end: '2023-11-14T22:13:22.500000+0000',
      age: 2,
      state: 'closed',
      reason: 'timeout',
      alerted: false,
      ...flow,
    },
    tcp: { tcp_flags: '1b', tcp_flags_ts: '1b', tcp_flags_tc: '1b', state: 'closed' },
    ...overrides,
  });
}

const otherEvent = (type: string) =>
  JSON.stringify({ timestamp: '2023-11-14T22:13:25+0000', event_type: type, src_ip: '10.0.0.5' });

describe('Suricata eve.json reader', () => {
  const dir = new FixtureDir();
  after(() => dir.remove());

  it('reads flow events into the fixed model fields, with their start, flow id and endpoints as context', async () => {
    const file = dir.write('eve.json', `${flowEvent()}\n`);
    const source = await openFlows(file, 'suricata-eve');
    const [row] = await readAll(source);

    expect(source.schema.fields).to.deep.equal(EVE_FLOW_FIELDS);
    expect(row!.line).to.equal(1);
    expect(row!.values).to.deep.equal([
      'TCP',
      'tls',
      '443',
      'closed',
      'timeout',
      'closed',
      '1b',
      '1b',
      2.5,
      12,
      1800,
      10,
      9000,
    ]);
    expect(row!.context).to.deep.equal({
      ts: 1_700_000_000,
      uid: '1394562087356723',
      srcAddr: '10.0.0.5',
      srcPort: 51234,
      dstAddr: '203.0.113.9',
      dstPort: 443,
    });
    expect(row!.label).to.equal(null);
  });

  it('passes over events that are not flows (alert, dns, stats) without counting them as malformed', async () => {
    const { issues, onBadRow } = issueLog();
    const lines = [
      otherEvent('alert'),
      flowEvent(),
      otherEvent('dns'),
      otherEvent('stats'),
      flowEvent(),
    ];
    const file = dir.write('mixed.json', `${lines.join('\n')}\n`);
    const source = await openFlows(file, 'suricata-eve', { onBadRow });
    const rows = await readAll(source);

    expect(rows.map((row) => row.line)).to.deep.equal([2, 5]);
    expect(issues).to.deep.equal([]);
    expect(source.stats).to.deep.equal({ rows: 2, badRows: 0 });
  });

  it("reads a UDP flow's missing TCP fields and app_proto as unset", async () => {
    const udp = flowEvent({ proto: 'UDP', app_proto: undefined, tcp: undefined, dest_port: 53 });
    const file = dir.write('udp.json', `${udp}\n`);
    const source = await openFlows(file, 'suricata-eve');
    const [row] = await readAll(source);

    expect(fieldValue(source.schema, row!, 'app_proto')).to.equal('-');
    expect(fieldValue(source.schema, row!, 'tcp.tcp_flags_tc')).to.equal('-');
    expect(fieldValue(source.schema, row!, 'dest_port')).to.equal('53');
  });

  it('skips and reports malformed flow events with the line, the field and the reason', async () => {
    const { issues, onBadRow } = issueLog();
    const lines = [
      flowEvent(),
      '{"event_type": "flow", "proto": ',
      '[1, 2]',
      flowEvent({}, { bytes_toserver: -5 }),
      flowEvent({ src_ip: undefined }),
      flowEvent({}, { start: 'yesterday' }),
      flowEvent({ dest_port: 70000 }),
      flowEvent({ app_proto: { name: 'tls' } }),
      flowEvent(),
    ];
    const file = dir.write('bad.json', `${lines.join('\n')}\n`);
    const source = await openFlows(file, 'suricata-eve', { onBadRow, maxBadShare: 1 });
    const rows = await readAll(source);

    expect(rows.map((row) => row.line)).to.deep.equal([1, 9]);
    expect(issues.map((i) => [i.line, i.field])).to.deep.equal([
      [2, null],
      [3, null],
      [4, 'flow.bytes_toserver'],
      [5, 'src_ip'],
      [6, 'flow.start'],
      [7, 'dest_port'],
      [8, 'app_proto'],
    ]);
    expect(issues[0]!.reason).to.match(/^invalid JSON/);
    expect(issues[1]!.reason).to.equal('expected a JSON object, got [1,2]');
    expect(issues[2]!.reason).to.equal("expected a non-negative number, got '-5'");
    expect(issues[3]!.reason).to.equal("missing key 'src_ip'");
    expect(issues[4]!.reason).to.equal('expected a date-time, got "yesterday"');
    expect(issues[5]!.reason).to.equal("expected a port number 0-65535, got '70000'");
    expect(issues[6]!.reason).to.equal('expected a string or number, got {"name":"tls"}');
  });

  it('stops when too many flow events are malformed, naming the file', async () => {
    const lines = Array.from({ length: 300 }, (_, i) =>
      i % 2 ? flowEvent() : flowEvent({}, { pkts_toserver: 'many' }),
    );
    const file = dir.write('mostly-bad.json', `${lines.join('\n')}\n`);
    const failure = await readAll(await openFlows(file, 'suricata-eve')).catch((e: unknown) => e);

    expect(failure).to.be.instanceOf(FlowFormatError);
    expect((failure as Error).message).to.include('mostly-bad.json');
  });

  it('fails on opening a file that is not an EVE log, and on an empty one', async () => {
    const zeekJson = dir.write('conn.json', '{"ts": 1.5, "uid": "C1", "proto": "tcp"}\n');
    const empty = dir.write('empty.json', '\n\n');

    for (const [file, message] of [
      [zeekJson, /conn\.json:1: not a Suricata EVE log: it has no event_type$/],
      [empty, /empty\.json: file is empty$/],
    ] as const) {
      const failure = await openFlows(file, 'suricata-eve').catch((e: unknown) => e);
      expect(failure).to.be.instanceOf(FlowFormatError);
      expect((failure as Error).message).to.match(message);
    }
  });

  it('reads a gzipped eve.json as the plain file', async () => {
    const text = `${flowEvent()}\n${otherEvent('alert')}\n${flowEvent()}\n`;
    const plain = await readAll(await openFlows(dir.write('p.json', text), 'suricata-eve'));
    const zipped = await readAll(
      await openFlows(dir.write('z.json.gz', gzipSync(text)), 'suricata-eve'),
    );

    expect(zipped).to.deep.equal(plain);
  });

  it('derives traffic features: a refused or unanswered TCP flow counts as failed, a normal one not', async () => {
    const refused = { tcp: { tcp_flags_ts: '02', tcp_flags_tc: '14', state: 'closed' } };
    const unanswered = { tcp: { tcp_flags_ts: '02', state: 'syn_sent' } };
    const lines = [flowEvent(refused), flowEvent(unanswered), flowEvent(), flowEvent()];
    const file = dir.write('scan.json', `${lines.join('\n')}\n`);
    const pipeline = await openPipeline({
      files: [file],
      format: 'suricata-eve',
      onlyLabel: null,
      read: {},
    });
    const rows = await readAll({ ...pipeline, stats: pipeline.stats, schema: pipeline.schema });
    const share = rows.map((row) => fieldValue(pipeline.schema, row, 'src_failed_share'));

    expect(pipeline.schema).to.deep.equal(await schemaForFormat('suricata-eve'));
    // Each row sees the rows before it from the same source: 0, 1/1, 2/2, 2/3.
    expect(share).to.deep.equal([0, 1, 1, 0.6667]);
    expect(fieldValue(pipeline.schema, rows[0]!, 'orig_bytes_per_pkt')).to.equal('~133');
  });
});
