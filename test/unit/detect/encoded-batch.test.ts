import { expect } from 'chai';
import {
  contextAt,
  type EncodedBatch,
  LabelRuns,
  labelAt,
  TextRuns,
  textValueAt,
  ValueRuns,
  valueAt,
} from '../../../client/detect/encoded-batch.js';

/** A batch holding just `rows`' values, packed as the encode worker packs them. */
function batchOf(rows: (string | number)[][]): EncodedBatch {
  const fields = rows[0]!.length;
  const numbers = new Float64Array(rows.length * fields);
  const values = new ValueRuns(rows.length);
  const contexts = new TextRuns(rows.length);
  const labels = new LabelRuns(rows.length);
  rows.forEach((row, r) => {
    values.push(row, numbers, r * fields);
    contexts.push(r % 2 ? `{"uid":"C${r}"}` : '');
    labels.push(r % 3 ? `label ${r % 2}` : null);
  });
  const { text: valueText, starts: valueStarts } = values.take();
  const { text: contextText, starts: contextStarts } = contexts.take();
  const none = new Uint32Array(rows.length);
  return {
    count: rows.length,
    codes: new Uint16Array(rows.length * fields),
    numbers,
    lines: none,
    files: none,
    ...labels.take(),
    valueText,
    valueStarts,
    contextText,
    contextStarts,
  };
}

describe('packed row values', () => {
  it('gives back each value of a row by its field index, first, middle and last, numbers as their text', () => {
    const batch = batchOf([
      ['udp', 1, '-', 3.5, 'SF'],
      ['tcp', 12, '', 0.2402, 'S0'],
    ]);
    expect([0, 1, 2, 3, 4].map((i) => valueAt(batch, 1, i))).to.deep.equal([
      'tcp',
      '12',
      '',
      '0.2402',
      'S0',
    ]);
    expect(valueAt(batch, 0, 2)).to.equal('-');
  });

  it('keeps numbers out of the packed text and text out of the numbers', () => {
    const numbers = new Float64Array(5);
    const runs = new ValueRuns(1);
    runs.push(['tcp', 12, '', 1e-7, 'S0'], numbers, 0);
    expect(runs.take().text.split('\x1f')).to.deep.equal(['tcp', '', 'S0', '']);
    expect(Array.from(numbers, (n) => (Number.isNaN(n) ? 'text' : n))).to.deep.equal([
      'text',
      12,
      'text',
      1e-7,
      'text',
    ]);
    expect(textValueAt(batchOf([['tcp', 12, '', 1e-7, 'S0']]), 0, 4)).to.equal('S0');
    expect(textValueAt(batchOf([['tcp', 12, '', 1e-7, 'S0']]), 0, 1)).to.equal('');
  });

  it('starts over after a batch is taken', () => {
    const numbers = new Float64Array(2);
    const runs = new ValueRuns(2);
    runs.push(['a', 1], numbers, 0);
    runs.take();
    runs.push(['b', 2], numbers, 0);
    const { text, starts } = runs.take();
    expect(text).to.equal('b\x1f');
    expect(Array.from(starts)).to.deep.equal([0, 2]);
  });

  it('gives back the only value of a one-field row', () => {
    expect(valueAt(batchOf([['x']]), 0, 0)).to.equal('x');
    expect(valueAt(batchOf([[7]]), 0, 0)).to.equal('7');
  });

  it("keeps each row's text values apart from its neighbours', empty first and last values included", () => {
    const batch = batchOf([
      ['', 1, 'a'],
      ['b', 2, ''],
      ['', 3, ''],
      [5, 4, 6],
      ['c', 4, 'd'],
    ]);
    const texts = [0, 1, 2, 3, 4].map((r) => [0, 1, 2].map((i) => textValueAt(batch, r, i)));
    expect(texts).to.deep.equal([
      ['', '', 'a'],
      ['b', '', ''],
      ['', '', ''],
      ['', '', ''],
      ['c', '', 'd'],
    ]);
    expect(valueAt(batch, 3, 2)).to.equal('6');
  });

  it("gives back each row's label (null too) and its flow context, one string for the batch", () => {
    const batch = batchOf([[1], [2], [3], [4]]);
    expect([0, 1, 2, 3].map((r) => labelAt(batch, r))).to.deep.equal([
      null,
      'label 1',
      'label 0',
      null,
    ]);
    expect(batch.labelTable).to.have.length(3);
    expect([0, 1, 2, 3].map((r) => contextAt(batch, r))).to.deep.equal([
      '',
      '{"uid":"C1"}',
      '',
      '{"uid":"C3"}',
    ]);
  });
});
