import { expect } from 'chai';
import { SketchedRows } from '../../../client/pipeline/sketched-rows.js';
import {
  encodeFlows,
  prepareLocalData,
  sketchFlows,
  splitTable,
} from '../../../client/pipeline/training-set.js';
import { DEFAULT_ENCODER_FIT, fitEncoder } from '../../../shared/encoding/fit-encoder.js';
import { FlowEncoder } from '../../../shared/encoding/flow-encoder.js';
import type { FlowTable } from '../../../shared/encoding/flow-table.js';
import type { FlowSelection } from '../../../shared/flows/pipeline.js';
import { openFlows } from '../../../shared/flows/readers.js';
import type { FlowRow, ModelField } from '../../../shared/flows/schema.js';
import { writeSyntheticConnLog } from '../../../shared/flows/synth/index.js';
import {
  bucketCount,
  bucketLowerEdge,
  DEFAULT_LOG_GRID,
} from '../../../shared/stats/log-histogram.js';
import { FixtureDir, kddLine, readAll } from '../flows/fixtures.js';

/** The rows of a table as codes and label, for comparing tables. */
function tableRows(table: FlowTable): string[] {
  const f = table.fieldCount;
  return Array.from(
    { length: table.length },
    (_, r) => `${table.codes.subarray(r * f, (r + 1) * f).join(',')} ${table.label(r)}`,
  );
}

describe('training data from flow files', () => {
  const dir = new FixtureDir();
  after(() => dir.remove());

  it('encodes every row of a table that grew while it was filled', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) =>
      kddLine({ src_bytes: String(i % 700), service: i % 2 ? 'http' : 'smtp' }),
    );
    const file = dir.write('grow.txt', `${lines.join('\n')}\n`);
    const selection: FlowSelection = {
      files: [file],
      format: 'nsl-kdd',
      onlyLabel: null,
      read: {},
    };
    const encoder = new FlowEncoder(fitEncoder((await sketchFlows(selection)).sketch));
    const table = await encodeFlows(selection, encoder);
    const rows = await readAll(await openFlows(file, 'nsl-kdd'));

    expect(table.length).to.equal(5000);
    const expected = rows.map((row) => `${encoder.encode(row).join(',')} ${row.label}`);
    expect(tableRows(table)).to.deep.equal(expected);
  });

  it('reads the flows once and gives the encoder and the splits two reads gave', async () => {
    const file = `${dir.path}/synthetic.conn.log`;
    await writeSyntheticConnLog(file, { profile: 'internal', flows: 9000, seed: 3 });
    const selection: FlowSelection = {
      files: [file],
      format: 'zeek',
      onlyLabel: 'normal',
      read: {},
    };
    const shares = { validation: 0.1, calibration: 0.1, seed: 5 };
    const data = await prepareLocalData(selection, DEFAULT_ENCODER_FIT, shares);
    const { sketch, summary } = await sketchFlows(selection);
    const spec = fitEncoder(sketch, DEFAULT_ENCODER_FIT);
    const twice = splitTable(await encodeFlows(selection, new FlowEncoder(spec)), shares);

    expect(data.encoderSpec).to.deep.equal(spec);
    expect(data.summary).to.deep.equal(summary);
    expect(data.summary.rowsUsed).to.be.greaterThan(8000);
    for (const part of ['train', 'validation', 'calibration'] as const) {
      expect(tableRows(data[part]), part).to.deep.equal(tableRows(twice[part]));
    }
  });

  it('encodes values at and around every bucket edge as the encoder does', () => {
    const fields: ModelField[] = [{ name: 'bytes', kind: 'numeric', numeric: 'bytes' }];
    const kept = new SketchedRows(fields);
    const values = [0, 1e-9];
    for (let b = 2; b < bucketCount(DEFAULT_LOG_GRID); b++) {
      const edge = bucketLowerEdge(DEFAULT_LOG_GRID, b);
      values.push(edge, edge * (1 - 2 ** -52), edge * (1 + 2 ** -52), edge * 1.01);
    }
    values.push(1e300);
    for (const [line, value] of values.entries()) kept.add({ line, values: [value], label: null });
    const encoder = new FlowEncoder(
      fitEncoder(kept.finishSketch(), { ...DEFAULT_ENCODER_FIT, numericBins: 40 }),
    );
    const table = kept.encode(encoder)!;

    expect(encoder.spec.fields[0]).to.have.property('edges').with.length.greaterThan(20);
    const expected = values.map(
      (value) => encoder.encode({ line: 0, values: [value], label: null })[0],
    );
    expect(Array.from(table.codes.subarray(0, values.length))).to.deep.equal(expected);
  });

  it('encodes the rows in the order asked, their labels and categories past 65,535 values included', () => {
    const fields: ModelField[] = [
      { name: 'host', kind: 'categorical' },
      { name: 'bytes', kind: 'numeric', numeric: 'bytes' },
    ];
    const kept = new SketchedRows(fields);
    const rows: FlowRow[] = [];
    const add = (row: FlowRow) => {
      rows.push(row);
      kept.add(row);
    };
    for (let i = 0; i < 70_000; i++) add({ line: i, values: [`h${i}`, i % 5000], label: null });
    // Values first seen after 65,535 others, frequent enough to be in the encoder's vocabulary.
    for (let i = 0; i < 50; i++) {
      add({ line: i, values: [`late${i % 2}`, i], label: i % 3 === 0 ? null : `attack${i % 2}` });
    }
    const encoder = new FlowEncoder(fitEncoder(kept.finishSketch(), DEFAULT_ENCODER_FIT));
    const order = [70_049, 3, 70_000, 65_534, 70_001, 0, 69_999, 70_002];
    const table = kept.encode(encoder, order)!;

    expect(encoder.spec.fields[0]).to.have.property('vocabulary').that.includes('late1');
    expect(tableRows(table)).to.deep.equal(
      order.map((r) => `${encoder.encode(rows[r]!).join(',')} ${rows[r]!.label}`),
    );
    // The late values' codes are their own, not that of the value with id 65,535.
    const late = [0, 2, 4, 7].map((k) => table.codes[k * 2]);
    expect(new Set(late).size).to.equal(2);
    expect(late).not.to.include(0);
  });

  it("gives no table for an encoder whose edges are not the sketch grid's (its rows are read again)", () => {
    const fields: ModelField[] = [{ name: 'bytes', kind: 'numeric', numeric: 'bytes' }];
    const kept = new SketchedRows(fields);
    kept.add({ line: 1, values: [5], label: null });
    const foreign = new FlowEncoder({
      fields: [{ name: 'bytes', kind: 'numeric', numeric: 'bytes', edges: [1.2345] }],
    });

    expect(kept.encode(foreign)).to.equal(null);
  });
});
