import { expect } from 'chai';
import { fitEncoder } from '../../../shared/encoding/fit-encoder.js';
import { EncoderSketch } from '../../../shared/encoding/sketch.js';
import {
  MAX_SKETCH_ROWS,
  MAX_SKETCH_VALUE_BYTES,
  mergeSketchPayloads,
  sketchPayload,
  sketchProblem,
} from '../../../shared/federation/encoder-round.js';
import { MAX_SKETCH_VALUES } from '../../../shared/federation/messages.js';
import { ZEEK_CONN_SCHEMA } from '../../../shared/flows/builtin-schemas.js';
import { zeekSchema } from '../../../shared/flows/format-schema.js';
import { TOY_SCHEMA, toyRows } from '../../helpers/toy-flows.js';

function siteSketch(rows: ReturnType<typeof toyRows>) {
  const sketch = new EncoderSketch(TOY_SCHEMA.fields);
  for (const row of rows) sketch.add(row);
  return sketch;
}

describe('federated encoder round', () => {
  it('drops categorical values rarer than the site floor before they leave the site', () => {
    const payload = sketchPayload(siteSketch(toyRows(100, 50)), 3, 'toy'); // 'ssh' appears twice
    const service = payload.categorical.find((c) => c.field === 'service')!;
    expect(service.values).to.have.members(['dns', 'http', 'https']);
    expect(payload.rows).to.equal(100);
  });

  it('keeps a value only when enough sites and flows have it', () => {
    const a = sketchPayload(siteSketch(toyRows(300, 10)), 1, 'toy'); // has ssh (30 times)
    const b = sketchPayload(siteSketch(toyRows(300)), 1, 'toy'); // no ssh
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
      [sketchPayload(siteSketch(rowsA), 1, 'toy'), sketchPayload(siteSketch(rowsB), 1, 'toy')],
      { minSites: 1, minRecords: 1 },
    );
    const central = siteSketch([...rowsA, ...rowsB]);
    const fit = { minCategoryCount: 1, maxVocabulary: 50, numericBins: 6 };
    expect(fitEncoder(merged, fit).fields[2]).to.deep.equal(fitEncoder(central, fit).fields[2]);
    expect(merged.rows).to.equal(1000);
  });

  it('keeps only the published number of most frequent values per field, so a sketch carries no more than the encoder can use', () => {
    const sketch = siteSketch(toyRows(100, 25)); // dns, http, https often; ssh 4 times
    const service = (maxValues: number) =>
      sketchPayload(sketch, 1, 'toy', maxValues).categorical.find((c) => c.field === 'service')!;
    expect(service(4).values).to.have.members(['dns', 'http', 'https', 'ssh']);
    const two = service(2);
    expect(two.values).to.have.length(2);
    expect(two.values).to.not.include('ssh');
    expect(service(1e9).values).to.have.length(4);
  });

  it('names what is wrong with a sketch that does not fit the schema or the grid', () => {
    const good = sketchPayload(siteSketch(toyRows(50)), 1, 'toy');
    expect(sketchProblem(TOY_SCHEMA, good)).to.equal(null);
    const missing = { ...good, numeric: good.numeric.slice(1) };
    expect(sketchProblem(TOY_SCHEMA, missing)).to.match(/numeric fields are/);
    const shortGrid = {
      ...good,
      numeric: good.numeric.map((n) => ({ ...n, counts: n.counts.slice(2) })),
    };
    expect(sketchProblem(TOY_SCHEMA, shortGrid)).to.match(/buckets, the grid has/);
    const negative = {
      ...good,
      categorical: good.categorical.map((c) => ({ ...c, counts: c.counts.map(() => -1) })),
    };
    expect(sketchProblem(TOY_SCHEMA, negative)).to.match(/counts must be integers of at least 3/);
  });
});

/** A Zeek conn.log sketch of `rows` honest-looking flows. */
function zeekSketch(rows = 40) {
  const sketch = new EncoderSketch(ZEEK_CONN_SCHEMA.fields);
  for (let i = 0; i < rows; i++)
    sketch.add({
      line: i + 1,
      values: [
        'tcp',
        i % 2 ? 'http' : 'ssl',
        'SF',
        'ShADadFf',
        i % 2 ? '80' : '443',
        'T',
        'F',
        0.5,
        300,
        4000,
        0,
        6,
        620,
        5,
        4300,
      ],
      label: null,
    });
  return sketch;
}

describe('sketch rules every site, the coordinator and the auditor enforce', () => {
  const honest = sketchPayload(zeekSketch(), 3, 'zeek-conn');
  const withValue = (field: string, value: string, count = 5) => ({
    ...honest,
    categorical: honest.categorical.map((c) =>
      c.field === field ? { ...c, values: [...c.values, value], counts: [...c.counts, count] } : c,
    ),
  });

  it('accepts an honest sketch', () => {
    expect(sketchProblem(ZEEK_CONN_SCHEMA, honest)).to.equal(null);
  });

  it('names the traffic-feature setting when a site and the coordinator disagree on it', () => {
    expect(sketchProblem(zeekSchema(), honest)).to.match(
      /: the coordinator derives per-host traffic features and this site does not \(data\.trafficFeatures and every site's input\.trafficFeatures must agree\)$/,
    );
  });

  it("names the last-N setting when a site's window differs from the coordinator's", () => {
    // What a site deriving traffic features without the last-N window would send.
    const sentFields = zeekSchema(true, 0).fields;
    const sent = {
      ...honest,
      numeric: sentFields
        .filter((f) => f.kind === 'numeric')
        .map((f) => ({ ...honest.numeric[0]!, field: f.name })),
      categorical: sentFields
        .filter((f) => f.kind === 'categorical')
        .map(
          (f) =>
            honest.categorical.find((c) => c.field === f.name) ?? {
              field: f.name,
              values: ['40'],
              counts: [honest.rows],
            },
        ),
    };

    expect(sketchProblem(zeekSchema(true, 0), sent)).to.equal(null);
    expect(sketchProblem(zeekSchema(true, 100), sent)).to.match(
      /: the coordinator describes each host's last 100 connections and this site its last 0 \(0 = none; data\.lastConnections and every site's input\.lastConnections must agree\)$/,
    );
  });

  it('refuses raw records smuggled in as values of an enumerated field, naming the value', () => {
    const record = '0,tcp,http,SF,181,5450,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,8,8,0.00,normal';
    expect(sketchProblem(ZEEK_CONN_SCHEMA, withValue('proto', record))).to.equal(
      'categorical field proto value "0,tcp,http,SF,181,5450,0,0,0,0,0,1,0,0,..." (70 characters) is not one of tcp, udp, icmp, unknown_transport, -',
    );
  });

  it('refuses free text in a token field and a port that is not a port number', () => {
    expect(sketchProblem(ZEEK_CONN_SCHEMA, withValue('service', 'GET /admin HTTP/1.1'))).to.match(
      /^categorical field service value "GET \/admin HTTP\/1.1" is not a token of 1-32/,
    );
    expect(sketchProblem(ZEEK_CONN_SCHEMA, withValue('id.resp_p', '70000'))).to.equal(
      'categorical field id.resp_p value "70000" is not a port number (0-65535)',
    );
    expect(sketchProblem(ZEEK_CONN_SCHEMA, withValue('id.resp_p', '080'))).to.match(/not a port/);
  });

  it('refuses a value below the floor, the published one when it is higher', () => {
    expect(sketchProblem(ZEEK_CONN_SCHEMA, withValue('service', 'ftp', 2))).to.match(
      /value "ftp" has count 2; counts must be integers of at least 3/,
    );
    const limits = { minCount: 10, maxRows: 1e6, maxValues: 1024 };
    expect(sketchProblem(ZEEK_CONN_SCHEMA, withValue('service', 'ftp', 9), limits)).to.match(
      /at least 10/,
    );
  });

  it('refuses a declared row count above the ceiling or above what its histograms count', () => {
    expect(sketchProblem(ZEEK_CONN_SCHEMA, { ...honest, rows: 1e12 })).to.equal(
      `declares 1000000000000 rows, more than the ${MAX_SKETCH_ROWS} a site may declare`,
    );
    expect(
      sketchProblem(
        ZEEK_CONN_SCHEMA,
        { ...honest, rows: 41 },
        { minCount: 3, maxRows: 40, maxValues: 1024 },
      ),
    ).to.match(/more than the 40/);
    expect(sketchProblem(ZEEK_CONN_SCHEMA, { ...honest, rows: 1_000_000 })).to.equal(
      'numeric field duration counts 40 values in 1000000 rows; every row has one',
    );
  });

  it('refuses more values per field or more value bytes than a sketch may carry', () => {
    const many = {
      ...honest,
      rows: 1e6,
      numeric: honest.numeric.map((n) => ({ ...n, counts: n.counts.map((c) => (c ? 1e6 : 0)) })),
    };
    const values = (n: number, width: number) =>
      Array.from({ length: n }, (_, i) => `s${String(i).padStart(width - 1, '0')}`);
    const service = (vs: string[]) => ({
      ...many,
      categorical: many.categorical.map((c) =>
        c.field === 'service' ? { ...c, values: vs, counts: vs.map(() => 3) } : c,
      ),
    });
    expect(sketchProblem(ZEEK_CONN_SCHEMA, service(values(MAX_SKETCH_VALUES + 1, 8)))).to.match(
      /has 1025 values, at most 1024/,
    );
    const published = { minCount: 3, maxRows: 1e6, maxValues: 256 };
    expect(sketchProblem(ZEEK_CONN_SCHEMA, service(values(257, 8)), published)).to.match(
      /has 257 values, at most 256/,
    );
    expect(sketchProblem(ZEEK_CONN_SCHEMA, service(values(256, 8)), published)).to.equal(null);
    const wide = { ...service(values(1000, 32)) };
    const history = values(1000, 32).map((v) => `h${v.slice(1)}`);
    const both = {
      ...wide,
      categorical: wide.categorical.map((c) =>
        c.field === 'history' ? { ...c, values: history, counts: history.map(() => 3) } : c,
      ),
    };
    expect(sketchProblem(ZEEK_CONN_SCHEMA, both)).to.match(
      new RegExp(`bytes of categorical values, at most ${MAX_SKETCH_VALUE_BYTES}`),
    );
  });

  it('leaves values outside their domain at the site, so an honest sketch never breaks a rule', () => {
    const sketch = zeekSketch();
    const service = sketch.fields.find((f) => f.name === 'service')!;
    if (service.kind === 'categorical') service.counts.set('a value with spaces', 10);
    const proto = sketch.fields.find((f) => f.name === 'proto')!;
    if (proto.kind === 'categorical') proto.counts.set('sctp', 10);
    const payload = sketchPayload(sketch, 1, 'zeek-conn');
    expect(payload.categorical.find((c) => c.field === 'service')!.values).to.deep.equal([
      'http',
      'ssl',
    ]);
    expect(payload.categorical.find((c) => c.field === 'proto')!.values).to.deep.equal(['tcp']);
    expect(sketchProblem(ZEEK_CONN_SCHEMA, payload)).to.equal(null);
  });
});
