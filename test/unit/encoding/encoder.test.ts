import { expect } from 'chai';
import {
  cardinality,
  describeCode,
  validateEncoderSpec,
} from '../../../shared/encoding/encoder-spec.js';
import { fitEncoder } from '../../../shared/encoding/fit-encoder.js';
import { FlowEncoder } from '../../../shared/encoding/flow-encoder.js';
import { FlowTable } from '../../../shared/encoding/flow-table.js';
import { EncoderSketch } from '../../../shared/encoding/sketch.js';
import { TOY_SCHEMA, toyRows } from '../../helpers/toy-flows.js';

const FIT = { minCategoryCount: 2, maxVocabulary: 10, numericBins: 4 };

function sketchOf(rows: ReturnType<typeof toyRows>): EncoderSketch {
  const sketch = new EncoderSketch(TOY_SCHEMA.fields);
  for (const row of rows) sketch.add(row);
  return sketch;
}

describe('encoder sketches and fitting', () => {
  it('fits the same spec from merged partial sketches as from one sketch of all rows', () => {
    const rows = toyRows(600, 50);
    const whole = sketchOf(rows);
    const merged = sketchOf(rows.slice(0, 250));
    merged.merge(sketchOf(rows.slice(250)));
    expect(merged.rows).to.equal(600);
    expect(fitEncoder(merged, FIT)).to.deep.equal(fitEncoder(whole, FIT));
  });

  it('keeps frequent categories, most frequent first, and maps rare ones to the other bucket', () => {
    const spec = fitEncoder(sketchOf(toyRows(300, 100)), { ...FIT, minCategoryCount: 5 });
    const service = spec.fields[1]!;
    expect(service.kind).to.equal('categorical');
    if (service.kind !== 'categorical') return;
    expect(service.vocabulary).to.have.members(['http', 'https', 'dns']);
    expect(service.vocabulary).not.to.include('ssh'); // seen 3 times, below the minimum of 5
    const encoder = new FlowEncoder(spec);
    expect(encoder.encode({ line: 1, values: ['tcp', 'ssh', 900, 0], label: null })[1]).to.equal(0);
    expect(describeCode(service, 0)).to.equal('<other>');
  });

  it('gives zero its own numeric bin and orders the other bins by value', () => {
    const spec = fitEncoder(sketchOf(toyRows(900)), FIT);
    const encoder = new FlowEncoder(spec);
    const code = (bytes: number) =>
      encoder.encode({ line: 1, values: ['tcp', 'http', bytes, 0], label: null })[2]!;
    expect(code(0)).to.equal(0);
    expect(code(1)).to.be.greaterThan(0);
    expect(code(60)).to.be.at.most(code(1500));
    expect(code(1e12)).to.equal(cardinality(spec.fields[2]!) - 1);
  });

  it('encodes 0/1 flags into exactly two codes', () => {
    const spec = fitEncoder(sketchOf(toyRows(100, 10)), FIT);
    expect(cardinality(spec.fields[3]!)).to.equal(2);
  });

  it('survives a JSON round trip and validation unchanged', () => {
    const spec = fitEncoder(sketchOf(toyRows(500, 20)), FIT);
    const copy = validateEncoderSpec(JSON.parse(JSON.stringify(spec)), 'test');
    const rows = toyRows(50, 7);
    const a = new FlowEncoder(spec);
    const b = new FlowEncoder(copy);
    for (const row of rows) expect([...b.encode(row)]).to.deep.equal([...a.encode(row)]);
  });

  it('rejects a spec whose numeric edges are not increasing, naming the field', () => {
    const bad = { fields: [{ name: 'bytes', kind: 'numeric', numeric: 'bytes', edges: [10, 5] }] };
    expect(() => validateEncoderSpec(bad, 'model.json')).to.throw(/model.json.*fields\[0\]\.edges/);
  });

  it('refuses to merge sketches of different fields', () => {
    const other = new EncoderSketch([{ name: 'x', kind: 'categorical' }]);
    expect(() => sketchOf(toyRows(10)).merge(other)).to.throw(/fields/);
  });
});

describe('flow table', () => {
  it('stores codes compactly, keeps labels, grows, and selects rows in a given order', () => {
    const table = new FlowTable(2, 1);
    for (let i = 0; i < 3000; i++) {
      const at = table.appendRow(i % 2 ? 'attack' : 'normal');
      table.codes[at] = i % 100;
      table.codes[at + 1] = 7;
    }
    expect(table.length).to.equal(3000);
    const picked = table.select([2999, 0]);
    expect(picked.length).to.equal(2);
    expect([...picked.codes.subarray(0, 4)]).to.deep.equal([99, 7, 0, 7]);
    expect(picked.label(0)).to.equal('attack');
    expect(picked.label(1)).to.equal('normal');
  });
});
