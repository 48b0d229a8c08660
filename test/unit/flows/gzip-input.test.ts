import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { openFlows, readFlowFiles } from '../../../shared/flows/readers.js';
import { FlowFormatError } from '../../../shared/flows/schema.js';
import { FixtureDir, issueLog, kddLines, readAll } from './fixtures.js';
import { connValues, JSON_CONN_RECORD, zeekTsv } from './zeek-fixtures.js';

/** The rows of a source as line, values and label, to compare a gzip file with its plain self. */
async function rowsOf(file: string, format: 'zeek' | 'nsl-kdd') {
  const rows = await readAll(await openFlows(file, format));
  return rows.map((row) => ({ line: row.line, values: row.values, label: row.label }));
}

describe('gzip flow files (as Zeek rotates its logs)', () => {
  const dir = new FixtureDir();
  after(() => dir.remove());
  const records = [connValues(), connValues({ proto: 'udp', 'id.resp_p': '53' }), connValues()];
  const tsv = zeekTsv(records);

  it('reads a gzipped Zeek TSV log as the plain log: same rows, same line numbers', async () => {
    const plain = dir.write('conn.log', tsv);
    const zipped = dir.write('conn.log.gz', gzipSync(tsv));

    const rows = await rowsOf(zipped, 'zeek');
    expect(rows).to.have.length(3);
    expect(rows).to.deep.equal(await rowsOf(plain, 'zeek'));
  });

  it('reads gzipped Zeek JSON lines and NSL-KDD as their plain files', async () => {
    const json = `${[1, 2].map(() => JSON.stringify(JSON_CONN_RECORD)).join('\n')}\n`;
    const kdd = kddLines(4);
    for (const [name, text, format] of [
      ['conn.json', json, 'zeek'],
      ['train.txt', kdd, 'nsl-kdd'],
    ] as const) {
      const plain = await rowsOf(dir.write(name, text), format);
      expect(await rowsOf(dir.write(`${name}.gz`, gzipSync(text)), format)).to.deep.equal(plain);
    }
  });

  it('knows gzip by its content, not its name', async () => {
    const hidden = dir.write('renamed.log', gzipSync(tsv));
    const plainWithGzName = dir.write('not-really.log.gz', tsv);

    expect(await rowsOf(hidden, 'zeek')).to.have.length(3);
    expect(await rowsOf(plainWithGzName, 'zeek')).to.have.length(3);
  });

  it('reports malformed rows of a gzipped log with their file, line, field and reason', async () => {
    const { issues, onBadRow } = issueLog();
    const bad = zeekTsv([connValues(), connValues({ orig_bytes: '-12' })]);
    const file = dir.write('bad.log.gz', gzipSync(bad));
    const rows = await readAll(await openFlows(file, 'zeek', { onBadRow, maxBadShare: 1 }));

    expect(rows.map((row) => row.line)).to.deep.equal([9]);
    expect(issues).to.deep.equal([
      { file, line: 10, field: 'orig_bytes', reason: "expected a non-negative number, got '-12'" },
    ]);
  });

  it('hands on the rows before a cut-short gzip file ends, then stops naming the file', async () => {
    const many = zeekTsv(Array.from({ length: 2000 }, () => connValues()));
    const whole = gzipSync(many);
    const file = dir.write('cut.log.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    const source = await openFlows(file, 'zeek');
    let read = 0;
    let failure: unknown = null;
    try {
      for await (const _ of source.rows) read++;
    } catch (error) {
      failure = error;
    }

    expect(read).to.be.greaterThan(0).and.lessThan(2000);
    expect(failure).to.be.instanceOf(FlowFormatError);
    expect((failure as Error).message).to.match(
      /cut\.log\.gz: gzip data is cut short or corrupt \(unexpected end of file\); the rows before it were read$/,
    );
  });

  it('says a gzip file holding nothing is empty, and a file that is not gzip after its magic bytes is corrupt', async () => {
    const empty = dir.write('empty.log.gz', gzipSync(''));
    const corrupt = dir.write('corrupt.log.gz', Buffer.from([0x1f, 0x8b, 0x08, 0, 1, 2, 3, 4, 5]));

    for (const [file, message] of [
      [empty, /empty\.log\.gz: file is empty$/],
      [corrupt, /corrupt\.log\.gz: gzip data is cut short or corrupt/],
    ] as const) {
      const failure = await readFlowFiles([file], 'zeek').catch((error: unknown) => error);
      expect(failure).to.be.instanceOf(FlowFormatError);
      expect((failure as Error).message).to.match(message);
    }
  });
});
