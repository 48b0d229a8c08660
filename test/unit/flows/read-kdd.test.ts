import path from 'node:path';
import { expect } from 'chai';
import { openFlows } from '../../../shared/flows/readers.js';
import { FlowFormatError } from '../../../shared/flows/schema.js';
import { nslKddCandidates, nslKddDir } from '../../helpers/datasets.js';
import { FixtureDir, fieldValue, issueLog, kddLine, kddLines, readAll } from './fixtures.js';

describe('NSL-KDD and KDD Cup 99 readers', () => {
  const dir = new FixtureDir();
  after(() => dir.remove());

  it('reads every field as its kind, with the label and the physical line number', async () => {
    const file = dir.write(
      'good.txt',
      `${kddLine()}\n${kddLine({ service: 'http', label: 'neptune' })}\n`,
    );
    const source = await openFlows(file, 'nsl-kdd');
    const rows = await readAll(source);

    expect(source.schema.name).to.equal('nsl-kdd');
    expect(source.schema.fields).to.have.length(41);
    expect(rows.map((row) => row.line)).to.deep.equal([1, 2]);
    expect(rows.map((row) => row.label)).to.deep.equal(['normal', 'neptune']);
    const [first] = rows;
    expect(first!.values).to.have.length(41);
    expect(fieldValue(source.schema, first!, 'protocol_type')).to.equal('tcp');
    expect(fieldValue(source.schema, rows[1]!, 'service')).to.equal('http');
    expect(fieldValue(source.schema, first!, 'src_bytes')).to.equal(491);
    expect(fieldValue(source.schema, first!, 'same_srv_rate')).to.equal(1);
    expect(fieldValue(source.schema, first!, 'dst_host_same_srv_rate')).to.equal(0.17);
    expect(source.stats).to.deep.equal({ rows: 2, badRows: 0 });
  });

  it('leaves the difficulty column out of the rows', async () => {
    const file = dir.write('difficulty.txt', `${kddLine({ difficulty: '7' })}\n`);
    const source = await openFlows(file, 'nsl-kdd');
    const [row] = await readAll(source);

    expect(source.schema.fields.map((field) => field.name)).not.to.include('difficulty');
    expect(row!.values).not.to.include(7);
  });

  it('counts blank lines and CRLF line ends in the line numbers', async () => {
    const file = dir.write('blank-lines.txt', `\r\n${kddLine()}\r\n\r\n\r\n${kddLine()}\r\n`);
    const rows = await readAll(await openFlows(file, 'nsl-kdd'));

    expect(rows.map((row) => row.line)).to.deep.equal([2, 5]);
    expect(rows[0]!.label).to.equal('normal');
  });

  it('reads a last line with no line end, and drops a leading byte-order mark', async () => {
    const file = dir.write('bom.txt', `\ufeff${kddLine()}\n${kddLine({ label: 'smurf' })}`);
    const source = await openFlows(file, 'nsl-kdd');
    const rows = await readAll(source);

    expect(rows.map((row) => [row.line, row.label])).to.deep.equal([
      [1, 'normal'],
      [2, 'smurf'],
    ]);
    expect(fieldValue(source.schema, rows[0]!, 'duration')).to.equal(0);
  });

  it('keeps a line whole when it spans read chunks, multi-byte characters included', async () => {
    const service = `${'é'.repeat(200_000)}x`;
    const file = dir.write('long.txt', `${kddLine()}\n${kddLine({ service })}\n${kddLine()}\n`);
    const rows = await readAll(await openFlows(file, 'nsl-kdd', { maxBadShare: 1 }));

    expect(rows.map((row) => row.line)).to.deep.equal([1, 2, 3]);
    expect(rows[1]!.values[2]).to.equal(service);
  });

  it('stops at a line longer than a megabyte, naming the file and the line', async () => {
    const file = dir.write('huge.txt', `${kddLine()}\n${'1,'.repeat(600_000)}\n`);
    const rows = readAll(await openFlows(file, 'nsl-kdd'));

    const error = await rows.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(FlowFormatError);
    expect((error as Error).message).to.equal(
      `${file}:2: a record is longer than 1048576 characters: wrong format or delimiter?`,
    );
  });

  it('strips the trailing dot of KDD Cup 99 labels', async () => {
    const kdd99 = (label: string) => kddLine({ label }).split(',').slice(0, 42).join(',');
    const file = dir.write('kdd99.txt', `${kdd99('normal.')}\n${kdd99('smurf.')}\n`);
    const source = await openFlows(file, 'kdd99');
    const rows = await readAll(source);

    expect(source.schema.name).to.equal('kdd99');
    expect(rows.map((row) => row.label)).to.deep.equal(['normal', 'smurf']);
  });

  it('reports a KDD Cup 99 row with the NSL-KDD difficulty column as a column-count problem', async () => {
    const { issues, onBadRow } = issueLog();
    const file = dir.write('kdd99-with-difficulty.txt', `${kddLine()}\n`);
    const source = await openFlows(file, 'kdd99', { onBadRow, maxBadShare: 1 });

    expect(await readAll(source)).to.be.empty;
    expect(issues).to.deep.equal([
      { file, line: 1, field: null, reason: 'expected 42 columns, got 43' },
    ]);
  });

  const malformed: Array<{ what: string; line: string; field: string | null; reason: string }> = [
    {
      what: 'too few columns',
      line: '0,tcp,http',
      field: null,
      reason: 'expected 43 columns, got 3',
    },
    {
      what: 'a non-numeric value',
      line: kddLine({ src_bytes: 'abc' }),
      field: 'src_bytes',
      reason: "expected a non-negative number, got 'abc'",
    },
    {
      what: 'a negative value',
      line: kddLine({ duration: '-3' }),
      field: 'duration',
      reason: "expected a non-negative number, got '-3'",
    },
    {
      what: 'an empty numeric value',
      line: kddLine({ hot: '' }),
      field: 'hot',
      reason: "expected a non-negative number, got ''",
    },
    {
      what: 'a value with spaces',
      line: kddLine({ hot: ' 1' }),
      field: 'hot',
      reason: "expected a non-negative number, got ' 1'",
    },
    {
      what: 'a non-finite value',
      line: kddLine({ dst_bytes: 'Infinity' }),
      field: 'dst_bytes',
      reason: "expected a finite number, got 'Infinity'",
    },
    {
      what: 'an overflowing value',
      line: kddLine({ dst_bytes: '1e999' }),
      field: 'dst_bytes',
      reason: "expected a finite number, got '1e999'",
    },
    {
      what: 'a flag that is not 0/1',
      line: kddLine({ logged_in: '2' }),
      field: 'logged_in',
      reason: "expected 0 or 1, got '2'",
    },
    {
      what: 'an empty category',
      line: kddLine({ service: '' }),
      field: 'service',
      reason: 'expected a non-empty value',
    },
    {
      what: 'an empty label',
      line: kddLine({ label: '' }),
      field: 'label',
      reason: 'expected a non-empty label',
    },
    // The KDD formats never quote: an unbalanced quote must not swallow the rows after it.
    {
      what: 'a stray quote',
      line: kddLine({ src_bytes: '"491' }),
      field: 'src_bytes',
      reason: `expected a non-negative number, got '"491'`,
    },
  ];
  for (const { what, line, field, reason } of malformed) {
    it(`skips and reports a row with ${what}`, async () => {
      const { issues, onBadRow } = issueLog();
      const file = dir.write('malformed.txt', `${kddLine()}\n${line}\n${kddLine()}\n`);
      const source = await openFlows(file, 'nsl-kdd', { onBadRow, maxBadShare: 0.5 });
      const rows = await readAll(source);

      expect(rows.map((row) => row.line)).to.deep.equal([1, 3]);
      expect(issues).to.deep.equal([{ file, line: 2, field, reason }]);
      expect(source.stats).to.deep.equal({ rows: 2, badRows: 1 });
    });
  }

  it('accepts 0/1 flags written as decimals and numbers in exponent notation', async () => {
    const file = dir.write('decimals.txt', `${kddLine({ land: '1.0', src_bytes: '1.5e3' })}\n`);
    const source = await openFlows(file, 'nsl-kdd');
    const [row] = await readAll(source);

    expect(fieldValue(source.schema, row!, 'land')).to.equal(1);
    expect(fieldValue(source.schema, row!, 'src_bytes')).to.equal(1500);
  });

  it('stops with an error naming the file, the count, the share and the first issue', async () => {
    const bad = kddLine({ src_bytes: 'x' });
    const file = dir.write('mostly-bad.txt', `${kddLines(10)}${bad}\n${bad}\n`);
    const source = await openFlows(file, 'nsl-kdd');

    const error = await readAll(source).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(FlowFormatError);
    expect((error as FlowFormatError).message).to.equal(
      `${file}: 2 of 12 rows malformed (16.67%, more than the 5% allowed); ` +
        `first: ${file}:11 field 'src_bytes': expected a non-negative number, got 'x'`,
    );
  });

  it('reads the NSL-KDD test set: 22,544 rows of which 9,711 normal', async function () {
    const dataset = nslKddDir();
    if (dataset === null) {
      // Mocha's skip takes no reason: the title carries where the data set was looked for.
      this.test!.title += ` (skipped: no NSL-KDD folder at ${nslKddCandidates().join(' or ')})`;
      this.skip();
    }
    const source = await openFlows(path.join(dataset!, 'KDDTest+.txt'), 'nsl-kdd');
    let rows = 0;
    let normal = 0;
    for await (const row of source.rows) {
      rows++;
      if (row.label === 'normal') normal++;
    }

    expect(rows).to.equal(22_544);
    expect(normal).to.equal(9_711);
    expect(source.stats).to.deep.equal({ rows: 22_544, badRows: 0 });
  });
});
