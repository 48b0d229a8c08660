import { expect } from 'chai';
import { fitEncoder } from '../../../shared/encoding/fit-encoder.js';
import { EncoderSketch } from '../../../shared/encoding/sketch.js';
import {
  mergeSketchPayloads,
  sketchPayload,
  sketchProblem,
} from '../../../shared/federation/encoder-round.js';
import { TOY_SCHEMA, toyRows } from '../../helpers/toy-flows.js';

function siteSketch(rows: ReturnType<typeof toyRows>) {
  const sketch = new EncoderSketch(TOY_SCHEMA.fields);
  for (const row of rows) sketch.add(row);
  return sketch;
}

describe('federated encoder round', () => {
  it('drops categorical values rarer than the site floor before they leave the site', () => {
    const payload = sketchPayload(siteSketch(toyRows(100, 50)), 3); // 'ssh' appears twice
    const service = payload.categorical.find((c) => c.field === 'service')!;
    expect(service.values).to.have.members(['dns', 'http', 'https']);
    expect(payload.rows).to.equal(100);
  });

  it('keeps a value only when enough sites and flows have it', () => {
    const a = sketchPayload(siteSketch(toyRows(300, 10)), 1); // has ssh (30 times)
    const b = sketchPayload(siteSketch(toyRows(300)), 1); // no ssh
    const merged = mergeSketchPayloads(TOY_SCHEMA.fields, [a, b], { minSites: 2, minRecords: 5 });
    const service = merged.fields.find((f) => f.name === 'service')!;
    expect(service.kind === 'categorical' && [...service.counts.keys()].sort()).to.deep.equal([
      'dns',
      'http',
      'https',
    ]);
    const lenient = mergeSketchPayloads(TOY_SCHEMA.fields, [a, b], { minSites: 1, minRecords: 5 });
    const service2 = lenient.fields.find((f) => f.name === 'service')!;
    expect(service2.kind === 'categorical' && service2.counts.get('ssh')).to.equal(30);
  });

  it('fits the same numeric bins from merged site sketches as from all flows in one place', () => {
    const rowsA = toyRows(400);
    const rowsB = toyRows(600, 7);
    const merged = mergeSketchPayloads(
      TOY_SCHEMA.fields,
      [sketchPayload(siteSketch(rowsA), 1), sketchPayload(siteSketch(rowsB), 1)],
      { minSites: 1, minRecords: 1 },
    );
    const central = siteSketch([...rowsA, ...rowsB]);
    const fit = { minCategoryCount: 1, maxVocabulary: 50, numericBins: 6 };
    expect(fitEncoder(merged, fit).fields[2]).to.deep.equal(fitEncoder(central, fit).fields[2]);
    expect(merged.rows).to.equal(1000);
  });

  it('names what is wrong with a sketch that does not fit the schema or the grid', () => {
    const good = sketchPayload(siteSketch(toyRows(50)), 1);
    expect(sketchProblem(TOY_SCHEMA.fields, good)).to.equal(null);
    const missing = { ...good, numeric: good.numeric.slice(1) };
    expect(sketchProblem(TOY_SCHEMA.fields, missing)).to.match(/numeric fields are/);
    const shortGrid = {
      ...good,
      numeric: good.numeric.map((n) => ({ ...n, counts: n.counts.slice(2) })),
    };
    expect(sketchProblem(TOY_SCHEMA.fields, shortGrid)).to.match(/buckets, the grid has/);
    const negative = {
      ...good,
      categorical: good.categorical.map((c) => ({ ...c, counts: c.counts.map(() => -1) })),
    };
    expect(sketchProblem(TOY_SCHEMA.fields, negative)).to.match(/not a positive integer/);
  });
});
