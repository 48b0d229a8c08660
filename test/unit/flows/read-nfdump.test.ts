import { expect } from 'chai';
import { followFile } from '../../../shared/flows/follow-file.js';
import { schemaForFormat } from '../../../shared/flows/format-schema.js';
import { openPipeline } from '../../../shared/flows/pipeline.js';
import { openFlows } from '../../../shared/flows/readers.js';
import { FixtureDir, fieldValue, issueLog, readAll } from './fixtures.js';

/** The columns `nfdump -o csv` (1.6) writes, in order. */
const HEADER = [
  ...'ts,te,td,sa,da,sp,dp,pr,flg,fwd,stos,ipkt,ibyt,opkt,obyt,in,out,sas,das,smk,dmk,dtos,dir'.split(
    ',',
  ),
  ...'nh,nhb,svln,dvln,ismc,odmc,idmc,osmc'.split(','),
  ...Array.from({ length: 10 }, (_, i) => `mpls${i + 1}`),
  ...'cl,sl,al,ra,eng,exid,tr'.split(','),
];

/** One flow as nfdump writes it, some columns replaced. */
function flowLine(overrides: Record<string, string> = {}): string {
  const values: Record<string, string> = {
    ts: '2023-11-14 22:13:20',
    te: '2023-11-14 22:13:22',
    td: '2.500',
    sa: '10.0.0.5',
    da: '203.0.113.9',
    sp: '51234',
    dp: '443',
    pr: 'TCP',
    flg: '.AP.SF',
    ipkt: '12',
    ibyt: '1800',
    opkt: '0',
    obyt: '0',
    ...overrides,
  };
  return HEADER.map((name) => values[name] ?? (name.startsWith('mpls') ? '0-0-0' : '0')).join(',');
}

const SUMMARY = [
  'Summary',
  'flows,bytes,packets,avg_bps,avg_pps,avg_bpp',
  '3,5400,36,17280,14,150',
];

describe('nfdump CSV reader', () => {
  const dir = new FixtureDir();
  after(() => dir.remove());
  const write = (name: string, lines: string[]) => dir.write(name, `${lines.join('\n')}\n`);

  it('reads the flows of an nfdump CSV export, its times and endpoints as context, and stops at the Summary', async () => {
    const { issues, onBadRow } = issueLog();
    const file = write('flows.csv', [
      HEADER.join(','),
      flowLine(),
      flowLine({ pr: 'UDP', dp: '53', flg: '......' }),
      ...SUMMARY,
    ]);
    const source = await openFlows(file, 'nfdump', { onBadRow });
    const rows = await readAll(source);

    expect(source.schema.name).to.equal('nfdump');
    expect(source.schema.fields.map((f) => f.name)).to.deep.equal([
      'pr',
      'dp',
      'flg',
      'td',
      'ipkt',
      'ibyt',
      'opkt',
      'obyt',
    ]);
    expect(rows.map((row) => row.values)).to.deep.equal([
      ['TCP', '443', '.AP.SF', 2.5, 12, 1800, 0, 0],
      ['UDP', '53', '......', 2.5, 12, 1800, 0, 0],
    ]);
    expect(rows[0]!.context).to.deep.include({
      ts: Date.parse('2023-11-14 22:13:20') / 1000,
      srcAddr: '10.0.0.5',
      srcPort: 51234,
      dstAddr: '203.0.113.9',
      dstPort: 443,
    });
    expect(issues).to.deep.equal([]);
  });

  it('skips and reports a malformed flow with its line, field and reason', async () => {
    const { issues, onBadRow } = issueLog();
    const file = write('bad.csv', [
      HEADER.join(','),
      flowLine(),
      flowLine({ ibyt: '-3' }),
      flowLine({ sp: '99999' }),
      flowLine(),
      ...SUMMARY,
    ]);
    const rows = await readAll(await openFlows(file, 'nfdump', { onBadRow, maxBadShare: 1 }));

    expect(rows.map((row) => row.line)).to.deep.equal([2, 5]);
    expect(issues).to.deep.equal([
      { file, line: 3, field: 'ibyt', reason: "expected a non-negative number, got '-3'" },
      { file, line: 4, field: 'sp', reason: "expected a port number 0-65535, got '99999'" },
    ]);
  });

  it('fails on opening a CSV that lacks a column nfdump writes, naming it', async () => {
    const file = write('other.csv', ['ts,sa,da,proto', '1,2,3,4']);
    const failure = await openFlows(file, 'nfdump').catch((e: unknown) => e);

    expect((failure as Error).message).to.match(/other\.csv:1: CSV header has no column 'pr'/);
  });

  it('derives traffic features: a TCP flow never acknowledged or reset counts as failed', async () => {
    const file = write('scan.csv', [
      HEADER.join(','),
      flowLine({ flg: '....S.', ipkt: '1', ibyt: '44' }),
      flowLine({ flg: '...RS.', ipkt: '1', ibyt: '44' }),
      flowLine(),
      flowLine(),
    ]);
    const pipeline = await openPipeline({
      files: [file],
      format: 'nfdump',
      onlyLabel: null,
      read: {},
    });
    const rows = await readAll(pipeline);

    expect(pipeline.schema).to.deep.equal(await schemaForFormat('nfdump'));
    expect(rows.map((row) => fieldValue(pipeline.schema, row, 'src_failed_share'))).to.deep.equal([
      0, 1, 1, 0.6667,
    ]);
    expect(fieldValue(pipeline.schema, rows[0]!, 'orig_bytes_per_pkt')).to.equal('44');
  });

  it('hands on the newest flow of a followed export at once, without waiting for the next line', async () => {
    const file = write('live.csv', [HEADER.join(','), flowLine()]);
    followFile(file);
    const rows = (await openFlows(file, 'nfdump')).rows[Symbol.asyncIterator]();
    const first = await rows.next();
    await rows.return?.();

    expect(first.value?.line).to.equal(2);
  });
});
