import { expect } from 'chai';
import { LineCells } from '../../../shared/flows/line-cells.js';
import { openFlows } from '../../../shared/flows/readers.js';
import type { FlowRow, RowIssue } from '../../../shared/flows/schema.js';
import { FixtureDir, fieldValue, issueLog, kddLine, readAll } from './fixtures.js';
import { CONN_FIELDS, CONN_TYPES, connValues, zeekTsv } from './zeek-fixtures.js';

/** The rows and the reported issues of a file. */
async function readWithIssues(
  file: string,
  format: 'nsl-kdd' | 'zeek',
): Promise<{ rows: FlowRow[]; issues: RowIssue[] }> {
  const { issues, onBadRow } = issueLog();
  const rows = await readAll(await openFlows(file, format, { onBadRow, maxBadShare: 1 }));
  return { rows, issues };
}

/** A row without its line number, to compare a line read as bytes with one read as text. */
const withoutLine = ({ line: _line, ...rest }: FlowRow | RowIssue) => rest;

describe('reading unquoted lines from their bytes', () => {
  const dir = new FixtureDir();
  after(() => dir.remove());

  it('reads a line with a non-ASCII byte (read as text) to what its ASCII twin gives', async () => {
    // The difficulty column is not read, so both lines hold the same flow.
    const file = dir.write(
      'twins.txt',
      [
        kddLine(),
        kddLine({ difficulty: 'é' }),
        kddLine({ src_bytes: '4x1' }),
        kddLine({ src_bytes: '4x1', difficulty: 'é' }),
      ].join('\n'),
    );
    const { rows, issues } = await readWithIssues(file, 'nsl-kdd');

    expect(rows.map((row) => row.line)).to.deep.equal([1, 2]);
    expect(withoutLine(rows[1]!)).to.deep.equal(withoutLine(rows[0]!));
    expect(issues.map((issue) => issue.line)).to.deep.equal([3, 4]);
    expect(withoutLine(issues[1]!)).to.deep.equal(withoutLine(issues[0]!));
  });

  it('reads CRLF lines and a last line without a newline', async () => {
    const file = dir.write(
      'crlf.txt',
      `${kddLine()}\r\n\r\n${kddLine({ label: 'neptune', src_bytes: '12.5' })}`,
    );
    const source = await openFlows(file, 'nsl-kdd');
    const rows = await readAll(source);

    expect(rows.map((row) => [row.line, row.label])).to.deep.equal([
      [1, 'normal'],
      [3, 'neptune'],
    ]);
    expect(fieldValue(source.schema, rows[1]!, 'src_bytes')).to.equal(12.5);
    expect(fieldValue(source.schema, rows[1]!, 'dst_host_srv_rerror_rate')).to.equal(0);
  });

  it('reports empty fields and bad numbers with their line, field and reason', async () => {
    const file = dir.write(
      'bad.txt',
      [
        kddLine(),
        kddLine({ src_bytes: '' }),
        kddLine({ service: '' }),
        kddLine({ dst_bytes: '-3' }),
        kddLine({ land: '2' }),
        kddLine({ label: '' }),
      ].join('\n'),
    );
    const { rows, issues } = await readWithIssues(file, 'nsl-kdd');

    expect(rows).to.have.length(1);
    expect(issues.map(({ file: _, ...issue }) => issue)).to.deep.equal([
      { line: 2, field: 'src_bytes', reason: "expected a non-negative number, got ''" },
      { line: 3, field: 'service', reason: 'expected a non-empty value' },
      { line: 4, field: 'dst_bytes', reason: "expected a non-negative number, got '-3'" },
      { line: 5, field: 'land', reason: "expected 0 or 1, got '2'" },
      { line: 6, field: 'label', reason: 'expected a non-empty label' },
    ]);
  });

  it('reads a quote in an NSL-KDD line as text: a category of its own, a bad number', async () => {
    const file = dir.write(
      'quote.txt',
      [kddLine({ service: '"http' }), kddLine({ src_bytes: '"491"' })].join('\n'),
    );
    const source = await openFlows(file, 'nsl-kdd', { maxBadShare: 1 });
    const { rows, issues } = await readWithIssues(file, 'nsl-kdd');

    expect(fieldValue(source.schema, rows[0]!, 'service')).to.equal('"http');
    expect(issues.map((issue) => [issue.line, issue.field, issue.reason])).to.deep.equal([
      [2, 'src_bytes', `expected a non-negative number, got '"491"'`],
    ]);
  });

  it('reads a multi-byte character split between two read chunks', async () => {
    const chunk = 256 * 1024;
    const filler = `${kddLine()}\n`;
    const lines = Math.floor((chunk - 1000) / filler.length);
    const head = filler.repeat(lines);
    // Pad the service so that the two bytes of 'é' fall on either side of the chunk boundary.
    const before = kddLine({ service: 'S' }).indexOf(',S,') + 2;
    const pad = 'x'.repeat(chunk - 1 - head.length - before);
    const split = kddLine({ service: `S${pad}é` });
    const text = `${head}${split}\n${kddLine({ src_bytes: 'é' })}\n${kddLine()}\n`;
    expect(
      Buffer.from(text)
        .subarray(chunk - 1, chunk + 1)
        .toString(),
    ).to.equal('é');
    const source = await openFlows(dir.write('chunks.txt', text), 'nsl-kdd', { maxBadShare: 1 });
    const { rows, issues } = await readWithIssues(dir.write('chunks.txt', text), 'nsl-kdd');

    expect(rows).to.have.length(lines + 2);
    expect(fieldValue(source.schema, rows[lines]!, 'service')).to.equal(`S${pad}é`);
    expect(rows.at(-1)!.line).to.equal(lines + 3);
    expect(issues.map((issue) => [issue.line, issue.field, issue.reason])).to.deep.equal([
      [lines + 2, 'src_bytes', "expected a non-negative number, got 'é'"],
    ]);
  });

  it("reads Zeek's '-' and '(empty)' as unset, in tab and in space-joined columns, over CRLF", async () => {
    const values = connValues({ service: '-', duration: '(empty)', history: '(empty)' });
    const record = (label: string) => [...values.slice(0, -1), ` (empty)   ${label} `];
    const header = [...CONN_FIELDS.slice(0, -1), 'tunnel_parents   label'];
    const types = [...CONN_TYPES.slice(0, -1), 'set[string]   string'];
    const log = zeekTsv([record('Benign'), record('-')], header, types).replaceAll('\n', '\r\n');
    const source = await openFlows(dir.write('unset.conn.log', log), 'zeek');
    const rows = await readAll(source);

    expect(rows.map((row) => row.label)).to.deep.equal(['Benign', null]);
    expect(fieldValue(source.schema, rows[0]!, 'service')).to.equal('-');
    expect(fieldValue(source.schema, rows[0]!, 'history')).to.equal('-');
    expect(fieldValue(source.schema, rows[0]!, 'duration')).to.equal(0);
    expect(fieldValue(source.schema, rows[0]!, 'resp_ip_bytes')).to.equal(4260);
    expect(rows[0]!.context).to.deep.include({ uid: 'CrDn63WjJEmrWGjqf', dstPort: 80 });
  });

  it('hands on the rows read before a line that stops the reading, then the error', async () => {
    const dns = zeekTsv([]).replace('#path\tconn', '#path\tdns');
    const log = `${zeekTsv([connValues(), connValues()]).replace(/#close.*\n/, '')}${dns}`;
    const source = await openFlows(dir.write('appended.log', log), 'zeek');
    const lines: number[] = [];
    const error = await (async () => {
      for await (const row of source.rows) lines.push(row.line);
    })().catch((caught: unknown) => caught);

    expect(lines).to.deep.equal([9, 10]);
    expect((error as Error).message).to.match(
      /appended\.log:15: this is a Zeek 'dns' log, not conn$/,
    );
  });

  it('splits a space-joined cell into its words as trim and split on whitespace do', () => {
    for (const cell of ['a b', '  a \t\v b  c ', '', '   ', 'one', 'x\r']) {
      const bytes = Buffer.from(`first,${cell},last`);
      const cells = new LineCells();
      expect(cells.split(bytes, 0, bytes.length, 0x2c)).to.equal(true);
      cells.splitWords(1);
      const words = Array.from({ length: cells.count }, (_, i) => cells.text(i));
      expect(words, JSON.stringify(cell)).to.deep.equal([
        'first',
        ...cell.trim().split(/\s+/),
        'last',
      ]);
    }
  });
});
