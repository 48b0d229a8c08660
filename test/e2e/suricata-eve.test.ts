import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { runCli } from '../helpers/run-cli.js';

/** `count` flow events of a few services from a handful of hosts, a second apart. */
function eveFlows(count: number, start: number): string {
  const services = [
    { port: 443, app: 'tls', up: 1800, down: 9000 },
    { port: 53, app: 'dns', up: 80, down: 160, udp: true },
    { port: 80, app: 'http', up: 600, down: 4000 },
  ];
  const lines = Array.from({ length: count }, (_, i) => {
    const s = services[i % services.length]!;
    const at = (seconds: number) => new Date((start + i + seconds) * 1000).toISOString();
    return JSON.stringify({
      timestamp: at(2),
      flow_id: 1000 + i,
      event_type: 'flow',
      src_ip: `10.0.0.${1 + (i % 7)}`,
      src_port: 40000 + i,
      dest_ip: `203.0.113.${1 + (i % 5)}`,
      dest_port: s.port,
      proto: s.udp ? 'UDP' : 'TCP',
      app_proto: s.app,
      flow: {
        pkts_toserver: 4 + (i % 3),
        pkts_toclient: 4 + (i % 2),
        bytes_toserver: s.up + (i % 13),
        bytes_toclient: s.down + (i % 17),
        start: at(0),
        end: at(0.2 + (i % 5) / 10),
        state: 'closed',
        reason: 'timeout',
      },
      ...(s.udp ? {} : { tcp: { tcp_flags_ts: '1b', tcp_flags_tc: '1b', state: 'closed' } }),
    });
  });
  return `${lines.join('\n')}\n`;
}

describe('fedflow train and score on Suricata eve.json flow events', function () {
  this.timeout(120_000);
  let dir: string;
  const file = (name: string) => join(dir, name);
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-eve-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('trains on a day of flows and scores the next, one alert line per flow event', async () => {
    writeFileSync(file('train.json'), eveFlows(3000, 1_700_000_000));
    writeFileSync(file('test.json'), eveFlows(500, 1_700_086_400));
    const common = ['--format', 'suricata-eve'];
    const trained = await runCli([
      'train',
      '--data',
      file('train.json'),
      ...common,
      '--epochs',
      '2',
      '--out',
      file('model'),
    ]);
    expect(trained.code, trained.stderr).to.equal(0);
    const scored = await runCli([
      'score',
      '--model',
      file('model'),
      '--data',
      file('test.json'),
      ...common,
      '--out',
      file('alerts.jsonl'),
    ]);
    expect(scored.code, scored.stderr).to.equal(0);

    const lines = readFileSync(file('alerts.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).to.have.length(500);
    expect(lines[0].flow).to.deep.equal({
      ts: 1_700_086_400,
      uid: '1000',
      src_addr: '10.0.0.1',
      src_port: 40000,
      dst_addr: '203.0.113.1',
      dst_port: 443,
      proto: 'tcp',
    });
    const spec = JSON.parse(readFileSync(file('model/model.json'), 'utf8'));
    const names = spec.schema.fields.map((f: { name: string }) => f.name);
    expect(names).to.include.members([
      'flow.bytes_toserver',
      'src_failed_share',
      'orig_bytes_per_pkt',
    ]);
  });
});
