import { expect } from 'chai';
import { openFlows } from '../../../shared/flows/readers.js';
import { FlowFormatError } from '../../../shared/flows/schema.js';
import { FixtureDir, issueLog, kddLine, readAll } from './fixtures.js';
import { connValues, JSON_CONN_RECORD, zeekTsv } from './zeek-fixtures.js';

const CONTEXT = {
  ts: 1545403816.962094,
  uid: 'CrDn63WjJEmrWGjqf',
  srcAddr: '192.168.1.195',
  srcPort: 41040,
  dstAddr: '185.244.25.235',
  dstPort: 80,
};

describe('flow context (timestamp, uid, addresses, ports beside the model fields)', () => {
  const dir = new FixtureDir();
  after(() => dir.remove());

  it('comes with every row of a Zeek TSV log, and never among its model values', async () => {
    const file = dir.write('conn.log', zeekTsv([connValues()]));
    const source = await openFlows(file, 'zeek');
    const [row] = await readAll(source);

    expect(row!.context).to.deep.equal(CONTEXT);
    for (const value of ['CrDn63WjJEmrWGjqf', '192.168.1.195', '185.244.25.235', 41040])
      expect(row!.values).not.to.include(value);
  });

  it("reads Zeek's unset '-' as an unknown context value", async () => {
    const file = dir.write('unset.log', zeekTsv([connValues({ uid: '-', 'id.orig_p': '-' })]));
    const [row] = await readAll(await openFlows(file, 'zeek'));

    expect(row!.context).to.deep.equal({ ...CONTEXT, uid: null, srcPort: null });
  });

  it('skips and reports a row whose port or timestamp is not one, naming the column', async () => {
    const log = issueLog();
    const file = dir.write(
      'bad.log',
      zeekTsv([
        connValues({ 'id.orig_p': '70000' }),
        connValues({ ts: 'yesterday' }),
        connValues(),
      ]),
    );
    const rows = await readAll(
      await openFlows(file, 'zeek', { onBadRow: log.onBadRow, maxBadShare: 1 }),
    );

    expect(rows).to.have.length(1);
    expect(log.issues.map((i) => [i.line, i.field, i.reason])).to.deep.equal([
      [9, 'id.orig_p', "expected a port number 0-65535, got '70000'"],
      [10, 'ts', "expected epoch seconds or a date-time, got 'yesterday'"],
    ]);
  });

  it('comes with the rows of a Zeek JSON log the same as with TSV', async () => {
    const file = dir.write('conn.json', `${JSON.stringify(JSON_CONN_RECORD)}\n`);
    const [row] = await readAll(await openFlows(file, 'zeek'));

    expect(row!.context).to.deep.equal(CONTEXT);
  });

  it('reads an ISO 8601 timestamp in a Zeek JSON log as epoch seconds', async () => {
    const iso = { ...JSON_CONN_RECORD, ts: '2018-12-21T14:50:16.962094Z' };
    const file = dir.write('iso.json', `${JSON.stringify(iso)}\n`);
    const [row] = await readAll(await openFlows(file, 'zeek'));

    expect(row!.context!.ts).to.be.closeTo(1545403816.962, 0.001);
  });

  it('comes from the columns a CSV mapping names, a column also being a model field', async () => {
    const file = dir.write(
      'flows.csv',
      'Timestamp,Src IP,Dst IP,Dst Port,Protocol\n7/7/2017 3:30,192.168.10.5,8.8.8.8,53,17\n',
    );
    const csvMapping = {
      fields: [
        { column: 'Dst Port', kind: 'categorical' as const },
        { column: 'Protocol', kind: 'categorical' as const },
      ],
      context: { ts: 'Timestamp', srcAddr: 'Src IP', dstAddr: 'Dst IP', dstPort: 'Dst Port' },
    };
    const [row] = await readAll(await openFlows(file, 'csv', { csvMapping }));

    expect(row!.values).to.deep.equal(['53', '17']);
    expect(row!.context).to.deep.equal({
      ts: new Date(2017, 6, 7, 3, 30).getTime() / 1000,
      uid: null,
      srcAddr: '192.168.10.5',
      srcPort: null,
      dstAddr: '8.8.8.8',
      dstPort: 53,
    });
  });

  it('fails on opening a CSV file without a column its mapping names for the context', async () => {
    const file = dir.write('no-ts.csv', 'Protocol\n6\n');
    const csvMapping = {
      fields: [{ column: 'Protocol', kind: 'categorical' as const }],
      context: { ts: 'Timestamp' },
    };
    const error = await openFlows(file, 'csv', { csvMapping }).catch((e: unknown) => e);

    expect(error).to.be.instanceOf(FlowFormatError);
    expect((error as Error).message).to.equal(
      `${file}:1: CSV header has no column 'Timestamp' (the mapping's context.ts; columns: Protocol)`,
    );
  });

  it('is absent from formats that carry no flow identifiers (NSL-KDD)', async () => {
    const file = dir.write('kdd.txt', `${kddLine()}\n`);
    const [row] = await readAll(await openFlows(file, 'nsl-kdd'));

    expect(row!.context).to.equal(undefined);
  });
});
