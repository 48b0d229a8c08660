import { expect } from 'chai';
import {
  ContextReader,
  type FlowContext,
  ZEEK_CONTEXT_COLUMNS,
} from '../../../shared/flows/flow-context.js';
import { LineCells } from '../../../shared/flows/line-cells.js';
import { openFlows } from '../../../shared/flows/readers.js';
import type { RowIssue } from '../../../shared/flows/schema.js';
import { FixtureDir, issueLog, readAll } from './fixtures.js';
import { CONN_FIELDS, connValues, zeekTsv } from './zeek-fixtures.js';

const UNSET = ['-', '(empty)'];

/** The context read from `values` (in CONN_FIELDS order) as text, and as the bytes of a line. */
function bothWays(values: string[]): {
  text: FlowContext | RowIssue | undefined;
  bytes: FlowContext | RowIssue | undefined;
} {
  const reader = new ContextReader(CONN_FIELDS, ZEEK_CONTEXT_COLUMNS, UNSET);
  const line = Buffer.from(values.join('\t'), 'latin1');
  const cells = new LineCells();
  expect(cells.split(line, 0, line.length, 0x09)).to.equal(true);
  return {
    text: reader.read(values, 'conn.log', 9),
    bytes: reader.readLine(cells, 'conn.log', 9),
  };
}

/** The rows' contexts and the issues of a Zeek TSV log of these records. */
async function readLog(dir: FixtureDir, records: string[][]) {
  const { issues, onBadRow } = issueLog();
  const file = dir.write('conn.log', zeekTsv(records));
  const rows = await readAll(await openFlows(file, 'zeek', { onBadRow, maxBadShare: 1 }));
  return { contexts: rows.map((row) => row.context!), issues };
}

describe('reading a Zeek line’s context (timestamp, uid, addresses, ports) from its bytes', () => {
  const dir = new FixtureDir();
  after(() => dir.remove());

  it('reads timestamps with and without a fraction to the number Number() gives', async () => {
    const stamps = [
      '1545403816.962094',
      '1545403816',
      '1545403816.5',
      '0.000001',
      '1533042911.4741749999999',
      '5.',
      '.5',
      '1e9',
    ];
    const { contexts, issues } = await readLog(
      dir,
      stamps.map((ts) => connValues({ ts })),
    );

    expect(issues).to.deep.equal([]);
    expect(contexts.map((context) => context.ts)).to.deep.equal(stamps.map(Number));
  });

  it("reads '-' and '(empty)' as an unknown value in every context column", async () => {
    const unset = Object.fromEntries(
      Object.values(ZEEK_CONTEXT_COLUMNS).map((column, index) => [column, UNSET[index % 2]!]),
    );
    const { contexts } = await readLog(dir, [connValues(unset)]);

    expect(contexts).to.deep.equal([
      { ts: null, uid: null, srcAddr: null, srcPort: null, dstAddr: null, dstPort: null },
    ]);
  });

  it('reads ports 0 to 65535, and reports one out of range or not whole with its line and field', async () => {
    const good = ['0', '65535', '080', '80.0'];
    const bad = ['65536', '-1', '80.5', '99999999999999999999'];
    const { contexts, issues } = await readLog(dir, [
      ...good.map((port) => connValues({ 'id.orig_p': port })),
      ...bad.map((port) => connValues({ 'id.resp_p': port, service: '-' })),
    ]);

    expect(contexts.map((context) => context.srcPort)).to.deep.equal([0, 65535, 80, 80]);
    expect(issues.map((issue) => [issue.line, issue.field, issue.reason])).to.deep.equal(
      bad.map((port, k) => [
        9 + good.length + k,
        'id.resp_p',
        `expected a port number 0-65535, got '${port}'`,
      ]),
    );
  });

  it('keeps IPv6 addresses as written, the same string for a repeated one', async () => {
    const v6 = { 'id.orig_h': 'fe80::1c2d:3eff:fe4f:5a6b', 'id.resp_h': '2001:db8::8a2e:370:7334' };
    const { contexts } = await readLog(dir, [connValues(v6), connValues(v6)]);

    expect(contexts.map((context) => [context.srcAddr, context.dstAddr])).to.deep.equal([
      ['fe80::1c2d:3eff:fe4f:5a6b', '2001:db8::8a2e:370:7334'],
      ['fe80::1c2d:3eff:fe4f:5a6b', '2001:db8::8a2e:370:7334'],
    ]);
  });

  it('reports a bad timestamp with its line and field, and reads a date-time text', async () => {
    const { contexts, issues } = await readLog(dir, [
      connValues({ ts: 'yesterday' }),
      connValues({ ts: '1e999' }),
      connValues({ ts: '2019-01-01T00:00:00Z' }),
    ]);

    expect(issues.map((issue) => [issue.line, issue.field, issue.reason])).to.deep.equal([
      [9, 'ts', "expected epoch seconds or a date-time, got 'yesterday'"],
      [10, 'ts', "expected epoch seconds or a date-time, got '1e999'"],
    ]);
    expect(contexts.map((context) => context.ts)).to.deep.equal([1_546_300_800]);
  });

  it('gives what reading the text gives, for odd timestamps and ports too', () => {
    const stamps = ['-0', '0x10', ' 12', '12 ', 'Infinity', '9007199254740993', '1.2.3', '.', ''];
    const ports = ['', ' 80', '0x50', '1e2', '.', '00000000000000000000080', '1e-1'];
    const records = [
      ...stamps.map((ts) => connValues({ ts })),
      ...ports.map((port) => connValues({ 'id.orig_p': port, uid: '' })),
    ];
    for (const values of records) {
      const { text, bytes } = bothWays(values);
      expect(bytes, values.slice(0, 4).join(' ')).to.deep.equal(text);
      if (text !== undefined && 'ts' in text)
        expect(Object.is((bytes as FlowContext).ts, text.ts)).to.equal(true);
    }
  });
});
