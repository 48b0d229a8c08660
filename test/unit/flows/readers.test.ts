import { expect } from 'chai';
import { openFlows, readFlowFiles } from '../../../shared/flows/readers.js';
import { FlowFormatError, type RowIssue } from '../../../shared/flows/schema.js';
import { FixtureDir, issueLog, kddLine, kddLines, readAll } from './fixtures.js';

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  if (!(outcome instanceof Error)) throw new Error('expected a failure');
  return outcome;
}

describe('openFlows', () => {
  const dir = new FixtureDir();
  after(() => dir.remove());

  it('fails clearly on a missing file, an empty file, a blank file and a directory', async () => {
    const missing = `${dir.path}/absent.txt`;
    const empty = dir.write('empty.txt', '');
    const blank = dir.write('blank.txt', '\n \r\n\t\n');

    for (const format of ['nsl-kdd', 'kdd99', 'zeek'] as const) {
      expect((await failureOf(openFlows(missing, format))).message).to.equal(
        `${missing}: file not found`,
      );
      expect((await failureOf(openFlows(empty, format))).message).to.equal(
        `${empty}: file is empty`,
      );
      expect((await failureOf(openFlows(blank, format))).message).to.equal(
        `${blank}: file is empty`,
      );
    }
    const directory = await failureOf(openFlows(dir.path, 'nsl-kdd'));
    expect(directory).to.be.instanceOf(FlowFormatError);
    expect(directory.message).to.equal(`${dir.path}: is a directory, not a flow file`);
  });

  it('does not judge the bad-row share before minRowsForShare rows', async () => {
    const bad = kddLine({ hot: 'x' });
    const file = dir.write('early-bad.txt', `${bad}\n${bad}\n${kddLines(198)}`);
    const source = await openFlows(file, 'nsl-kdd', { minRowsForShare: 200 });

    expect(await readAll(source)).to.have.length(198);
    expect(source.stats).to.deep.equal({ rows: 198, badRows: 2 });
  });

  it('stops once minRowsForShare rows are read if the share is already too high', async () => {
    const bad = kddLine({ hot: 'x' });
    const file = dir.write('bad-start.txt', `${`${bad}\n`.repeat(20)}${kddLines(300)}`);
    const source = await openFlows(file, 'nsl-kdd', { minRowsForShare: 100, maxBadShare: 0.1 });
    let read = 0;

    const error = await failureOf(
      (async () => {
        for await (const _ of source.rows) read++;
      })(),
    );
    expect(error.message).to.match(
      /bad-start\.txt: 20 of 100 rows malformed \(20%, more than the 10% allowed\)/,
    );
    expect(read).to.equal(79);
  });

  it('judges the share at the end of a file shorter than minRowsForShare', async () => {
    const file = dir.write('short.txt', `${kddLines(9)}${kddLine({ land: '7' })}\n`);

    const error = await failureOf(readAll(await openFlows(file, 'nsl-kdd')));
    expect(error.message).to.equal(
      `${file}: 1 of 10 rows malformed (10%, more than the 5% allowed); first: ${file}:10 field 'land': expected 0 or 1, got '7'`,
    );
  });

  it('reports every malformed row to onBadRow, even past the point where it stops', async () => {
    const { issues, onBadRow } = issueLog();
    const file = dir.write('all-bad.txt', `${kddLine({ hot: 'x' })}\n${kddLine({ hot: 'y' })}\n`);

    await failureOf(readAll(await openFlows(file, 'nsl-kdd', { onBadRow })));
    expect(issues.map((issue: RowIssue) => issue.line)).to.deep.equal([1, 2]);
  });

  it('tolerates any share with maxBadShare 1 and rejects limits that mean nothing', async () => {
    const file = dir.write('tolerated.txt', `${kddLine({ hot: 'x' })}\n${kddLine()}\n`);

    expect(await readAll(await openFlows(file, 'nsl-kdd', { maxBadShare: 1 }))).to.have.length(1);
    const tooHigh = await failureOf(openFlows(file, 'nsl-kdd', { maxBadShare: 5 }));
    const fractional = await failureOf(openFlows(file, 'nsl-kdd', { minRowsForShare: 2.5 }));
    expect(tooHigh).to.be.instanceOf(RangeError);
    expect(tooHigh.message).to.equal('maxBadShare must be between 0 and 1, got 5');
    expect(fractional.message).to.equal('minRowsForShare must be a non-negative integer, got 2.5');
  });

  it('reads the file again on every pass, with fresh stats', async () => {
    const file = dir.write('twice.txt', kddLines(3));
    const source = await openFlows(file, 'nsl-kdd');

    const first = await readAll(source);
    const second = await readAll(source);
    expect(second).to.deep.equal(first);
    expect(source.stats).to.deep.equal({ rows: 3, badRows: 0 });
  });

  it('can stop a pass early and start another', async () => {
    const file = dir.write('early-stop.txt', kddLines(50));
    const source = await openFlows(file, 'nsl-kdd');

    for await (const row of source.rows) {
      if (row.line === 2) break;
    }
    expect(source.stats.rows).to.equal(2);
    expect(await readAll(source)).to.have.length(50);
  });
});

describe('readFlowFiles', () => {
  const dir = new FixtureDir();
  after(() => dir.remove());

  it('reads the files one after the other, with line numbers per file and stats for all', async () => {
    const first = dir.write('first.txt', kddLines(2));
    const second = dir.write(
      'second.txt',
      `${kddLine({ label: 'smurf' })}\n${kddLine({ hot: 'x' })}\n`,
    );
    const { issues, onBadRow } = issueLog();
    const source = await readFlowFiles([first, second], 'nsl-kdd', { onBadRow, maxBadShare: 0.5 });
    const rows = await readAll(source);

    expect(rows.map((row) => [row.line, row.label])).to.deep.equal([
      [1, 'normal'],
      [2, 'normal'],
      [1, 'smurf'],
    ]);
    expect(issues.map((issue) => [issue.file, issue.line])).to.deep.equal([[second, 2]]);
    expect(source.stats).to.deep.equal({ rows: 3, badRows: 1 });
  });

  it('judges the bad-row share of each file on its own', async () => {
    const good = dir.write('large-good.txt', kddLines(100));
    const bad = dir.write('small-bad.txt', `${kddLine({ hot: 'x' })}\n${kddLine()}\n`);

    const error = await failureOf(readAll(await readFlowFiles([good, bad], 'nsl-kdd')));
    expect(error.message).to.match(/small-bad\.txt: 1 of 2 rows malformed/);
  });

  it('opens every file before returning, so a bad one fails at once', async () => {
    const good = dir.write('good.txt', kddLines(1));

    const error = await failureOf(readFlowFiles([good, `${dir.path}/absent.txt`], 'nsl-kdd'));
    expect(error.message).to.equal(`${dir.path}/absent.txt: file not found`);
  });

  it('needs at least one file', async () => {
    expect((await failureOf(readFlowFiles([], 'nsl-kdd'))).message).to.equal(
      'no flow files to read',
    );
  });
});
