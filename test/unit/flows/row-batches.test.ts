import { expect } from 'chai';
import type { DeriveStageFactory } from '../../../shared/flows/derive.js';
import { openPipeline } from '../../../shared/flows/pipeline.js';
import { readFlowFiles } from '../../../shared/flows/readers.js';
import {
  mapRows,
  ROW_BATCHES,
  rowBatches,
  withBatches,
} from '../../../shared/flows/row-batches.js';
import type { FlowRow } from '../../../shared/flows/schema.js';
import { FixtureDir, issueLog, kddLine, kddLines } from './fixtures.js';

const row = (line: number): FlowRow => ({ line, values: [line], label: line % 2 ? 'odd' : null });

async function* from<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Counts each row of a derive pass: how many rows came before it in this pass. */
const position: DeriveStageFactory = () => {
  let seen = 0;
  return {
    fields: [{ name: 'position', kind: 'numeric', numeric: 'count' }],
    derive(_row, out) {
      out.push(seen++);
    },
  };
};

describe('rows in batches', () => {
  const dir = new FixtureDir();
  after(() => dir.remove());

  it('gives a stream with batches its own batches and its rows one by one', async () => {
    const batches = [[row(1), row(2)], [row(3)]];
    const rows = withBatches(from([row(1), row(2), row(3)]), () => from(batches));
    expect(await all(rowBatches(rows))).to.deep.equal(batches);
    expect((await all(rows)).map((r) => r.line)).to.deep.equal([1, 2, 3]);
  });

  it('gives a stream without batches one row per batch', async () => {
    expect(await all(rowBatches(from([row(1), row(2)])))).to.deep.equal([[row(1)], [row(2)]]);
  });

  it('maps rows alike one by one and in batches, dropping nulls and empty batches', async () => {
    const rows = withBatches(from([row(1), row(2), row(3)]), () =>
      from([[row(1), row(2)], [row(4)], [row(3)]]),
    );
    const odd = mapRows(rows, () => (r) => (r.label === 'odd' ? { ...r, values: [0] } : null));
    expect(ROW_BATCHES in odd).to.equal(true);
    expect((await all(odd)).map((r) => r.line)).to.deep.equal([1, 3]);
    expect((await all(rowBatches(odd))).map((b) => b.map((r) => r.line))).to.deep.equal([[1], [3]]);
  });

  it('reads the same rows and stats from files in batches as one by one, several files and bad rows included', async () => {
    const a = dir.write('a.txt', `${kddLines(3)}short,row\n${kddLines(2)}`);
    const b = dir.write('b.txt', kddLines(4, { service: 'ftp' }));
    const log = issueLog();
    const read = { onBadRow: log.onBadRow, maxBadShare: 0.5 };
    const source = await readFlowFiles([a, b], 'nsl-kdd', read);
    const oneByOne = await all(source.rows);
    const statsOneByOne = { ...source.stats };
    const batched = (await all(rowBatches(source.rows))).flat();
    expect(batched).to.deep.equal(oneByOne);
    expect(batched.map((r) => r.file ?? 0)).to.deep.equal([0, 0, 0, 0, 0, 1, 1, 1, 1]);
    expect(source.stats).to.deep.equal(statsOneByOne);
    expect(source.stats).to.deep.equal({ rows: 9, badRows: 1 });
    expect(log.issues).to.have.length(2);
  });

  it('derives and selects alike in batches, with fresh derive stages each pass', async () => {
    const file = dir.write(
      'labels.txt',
      `${[kddLine({ label: 'normal' }), kddLine({ label: 'neptune' }), kddLine({ label: 'normal' })].join('\n')}\n`,
    );
    const flows = await openPipeline(
      { files: [file], format: 'nsl-kdd', read: {}, onlyLabel: 'normal' },
      [position],
    );
    const oneByOne = await all(flows.rows);
    const batched = (await all(rowBatches(flows.rows))).flat();
    expect(batched).to.deep.equal(oneByOne);
    expect(batched.map((r) => r.values.at(-1))).to.deep.equal([0, 2]);
  });
});
