import { expect } from 'chai';
import {
  type CsvMapping,
  loadCsvMapping,
  parseCsvMapping,
} from '../../../shared/flows/builtin-schemas.js';
import { openFlows } from '../../../shared/flows/readers.js';
import { FlowFormatError } from '../../../shared/flows/schema.js';
import { FixtureDir, issueLog, readAll } from './fixtures.js';

const MAPPING: CsvMapping = {
  fields: [
    { column: 'proto', kind: 'categorical' },
    { column: 'bytes_out', kind: 'numeric', numeric: 'bytes' },
    { column: 'seconds', kind: 'numeric', numeric: 'duration' },
    { column: 'is_local', kind: 'numeric', numeric: 'flag' },
  ],
  label: 'verdict',
};

describe('CSV mappings', () => {
  const dir = new FixtureDir();
  after(() => dir.remove());

  it('accepts a complete mapping and keeps its field order', () => {
    const json = { ...MAPPING, delimiter: ';' };

    expect(parseCsvMapping(JSON.parse(JSON.stringify(json)), 'map.json')).to.deep.equal(json);
  });

  const bad: Array<{ problem: string; json: unknown; message: string }> = [
    {
      problem: 'is not an object',
      json: [],
      message: 'map.json: mapping: expected an object, got an array',
    },
    {
      problem: 'has no fields',
      json: {},
      message: 'map.json: fields: expected an array, got nothing',
    },
    {
      problem: 'has an empty field list',
      json: { fields: [] },
      message: 'map.json: fields: expected at least one field',
    },
    {
      problem: 'has an unknown key',
      json: { fields: [{ column: 'a', kind: 'categorical' }], lable: 'x' },
      message:
        "map.json: mapping: unknown key 'lable' (expected fields, label, delimiter, context, columns, endMarker)",
    },
    {
      problem: 'has a field without a column',
      json: { fields: [{ kind: 'categorical' }] },
      message: 'map.json: fields[0].column: expected a non-empty string, got nothing',
    },
    {
      problem: 'has an unknown field kind',
      json: { fields: [{ column: 'a', kind: 'number' }] },
      message: `map.json: fields[0].kind: expected 'categorical' or 'numeric', got "number"`,
    },
    {
      problem: 'has an unknown numeric kind',
      json: { fields: [{ column: 'a', kind: 'numeric', numeric: 'size' }] },
      message: `map.json: fields[0].numeric: expected one of 'count', 'bytes', 'duration', 'rate', 'flag', got "size"`,
    },
    {
      problem: 'has a numeric field without a numeric kind',
      json: { fields: [{ column: 'a', kind: 'numeric' }] },
      message: `map.json: fields[0].numeric: expected one of 'count', 'bytes', 'duration', 'rate', 'flag', got nothing`,
    },
    {
      problem: 'gives a categorical field a numeric kind',
      json: { fields: [{ column: 'a', kind: 'categorical', numeric: 'count' }] },
      message: 'map.json: fields[0].numeric: only numeric fields take a numeric kind',
    },
    {
      problem: 'maps a column twice',
      json: {
        fields: [
          { column: 'a', kind: 'categorical' },
          { column: 'a', kind: 'categorical' },
        ],
      },
      message: "map.json: fields[1].column: column 'a' is mapped twice",
    },
    {
      problem: 'uses a field as the label',
      json: { fields: [{ column: 'a', kind: 'categorical' }], label: 'a' },
      message: "map.json: label: column 'a' is also mapped as a field",
    },
    {
      problem: 'has a multi-character delimiter',
      json: { fields: [{ column: 'a', kind: 'categorical' }], delimiter: '::' },
      message:
        "map.json: delimiter: expected one character other than a quote or newline, got '::'",
    },
    {
      problem: 'names an unknown context value',
      json: { fields: [{ column: 'a', kind: 'categorical' }], context: { srcIp: 'Src IP' } },
      message:
        "map.json: context: unknown key 'srcIp' (expected ts, uid, srcAddr, srcPort, dstAddr, dstPort)",
    },
    {
      problem: 'names no column for a context value',
      json: { fields: [{ column: 'a', kind: 'categorical' }], context: { ts: '' } },
      message: 'map.json: context.ts: expected a non-empty string, got ""',
    },
  ];
  for (const { problem, json, message } of bad) {
    it(`rejects a mapping that ${problem}, naming the key`, () => {
      expect(() => parseCsvMapping(json, 'map.json')).to.throw(FlowFormatError, message);
    });
  }

  it('loads a mapping file', async () => {
    const file = dir.write('mapping.json', JSON.stringify(MAPPING));

    expect(await loadCsvMapping(file)).to.deep.equal(MAPPING);
  });

  it('rejects a mapping file that is missing or not JSON', async () => {
    const missing = await loadCsvMapping(`${dir.path}/absent.json`).catch(
      (caught: unknown) => caught,
    );
    const broken = await loadCsvMapping(dir.write('broken.json', '{ fields: ')).catch(
      (caught: unknown) => caught,
    );

    expect((missing as Error).message).to.match(/absent\.json: cannot read CSV mapping: ENOENT/);
    expect((broken as Error).message).to.match(/broken\.json: CSV mapping is not valid JSON: /);
  });
});

describe('CSV reader', () => {
  const dir = new FixtureDir();
  after(() => dir.remove());
  const csv = (lines: string[]) => `${lines.join('\n')}\n`;

  it('reads a CSV without a header line by the column names the mapping gives, in order', async () => {
    const columns = ['src_ip', 'is_local', 'proto', 'seconds', 'bytes_out', 'verdict'];
    const file = dir.write(
      'bare.csv',
      csv(['10.0.0.1,1,tcp,0.5,1200,benign', '10.0.0.2,0,udp,0,64']),
    );
    const { issues, onBadRow } = issueLog();
    const source = await openFlows(file, 'csv', {
      csvMapping: { ...MAPPING, columns },
      onBadRow,
      maxBadShare: 1,
    });
    const rows = await readAll(source);

    expect(rows).to.deep.equal([{ line: 1, values: ['tcp', 1200, 0.5, 1], label: 'benign' }]);
    expect(issues).to.deep.equal([
      { file, line: 2, field: null, reason: 'expected 6 columns, got 5' },
    ]);
  });

  it('stops at the end marker, leaving a trailer such as a summary unread and uncounted', async () => {
    const file = dir.write(
      'trailer.csv',
      csv([
        'proto,seconds,bytes_out,is_local,verdict',
        'tcp,0.5,1200,1,benign',
        'Summary',
        'flows,bytes,packets',
        '1,1200,3',
      ]),
    );
    const { issues, onBadRow } = issueLog();
    const source = await openFlows(file, 'csv', {
      csvMapping: { ...MAPPING, endMarker: 'Summary' },
      onBadRow,
    });

    expect((await readAll(source)).map((row) => row.line)).to.deep.equal([2]);
    expect(issues).to.deep.equal([]);
    expect(source.stats).to.deep.equal({ rows: 1, badRows: 0 });
  });

  it('refuses header-less column names that are missing, empty or named twice', () => {
    const cases: [unknown, string][] = [
      [[], 'map.json: columns: expected a non-empty array of column names, got an array'],
      [['a', ''], 'map.json: columns[1]: expected a non-empty string, got ""'],
      [['proto', 'proto'], "map.json: columns: column 'proto' is named twice"],
    ];
    for (const [columns, message] of cases) {
      const json = { fields: [{ column: 'proto', kind: 'categorical' }], columns };
      expect(() => parseCsvMapping(json, 'map.json')).to.throw(message);
    }
  });

  it('reads the mapped columns in mapping order, with the label, ignoring the others', async () => {
    const file = dir.write(
      'flows.csv',
      csv([
        'src_ip,is_local,proto,seconds,bytes_out,verdict,comment',
        '10.0.0.1,1,tcp,0.5,1200,benign,"hello, world"',
        '',
        '10.0.0.2,0,"udp",0,64,attack,',
      ]),
    );
    const source = await openFlows(file, 'csv', { csvMapping: MAPPING });
    const rows = await readAll(source);

    expect(source.schema).to.deep.equal({
      name: 'csv',
      fields: [
        { name: 'proto', kind: 'categorical' },
        { name: 'bytes_out', kind: 'numeric', numeric: 'bytes' },
        { name: 'seconds', kind: 'numeric', numeric: 'duration' },
        { name: 'is_local', kind: 'numeric', numeric: 'flag' },
      ],
    });
    expect(rows).to.deep.equal([
      { line: 2, values: ['tcp', 1200, 0.5, 1], label: 'benign' },
      { line: 4, values: ['udp', 64, 0, 0], label: 'attack' },
    ]);
  });

  it('reads with the delimiter of the mapping and without a label', async () => {
    const mapping: CsvMapping = {
      fields: [{ column: 'proto', kind: 'categorical' }],
      delimiter: ';',
    };
    const file = dir.write('semicolons.csv', csv(['proto;other', 'icmp;1,5']));
    const rows = await readAll(await openFlows(file, 'csv', { csvMapping: mapping }));

    expect(rows).to.deep.equal([{ line: 2, values: ['icmp'], label: null }]);
  });

  it('skips and reports malformed rows with the column and the reason', async () => {
    const { issues, onBadRow } = issueLog();
    const file = dir.write(
      'malformed.csv',
      csv([
        'proto,bytes_out,seconds,is_local,verdict',
        'tcp,1,1,1,benign',
        'tcp,1,1,benign',
        'tcp,lots,1,1,benign',
        ',1,1,1,benign',
        'tcp,1,1,yes,benign',
        'tcp,1,1,1,',
        'tcp,2,2,0,attack',
      ]),
    );
    const source = await openFlows(file, 'csv', { csvMapping: MAPPING, onBadRow, maxBadShare: 1 });
    const rows = await readAll(source);

    expect(rows.map((row) => row.line)).to.deep.equal([2, 8]);
    expect(issues).to.deep.equal([
      { file, line: 3, field: null, reason: 'expected 5 columns, got 4' },
      { file, line: 4, field: 'bytes_out', reason: "expected a non-negative number, got 'lots'" },
      { file, line: 5, field: 'proto', reason: 'expected a non-empty value' },
      { file, line: 6, field: 'is_local', reason: "expected 0 or 1, got 'yes'" },
      { file, line: 7, field: 'verdict', reason: 'expected a non-empty label' },
    ]);
  });

  it('fails on opening when a mapped column or the label is not in the header', async () => {
    const noSeconds = dir.write(
      'no-seconds.csv',
      csv(['proto,bytes_out,is_local,verdict', 'tcp,1,1,benign']),
    );
    const noLabel = dir.write(
      'no-label.csv',
      csv(['proto,bytes_out,seconds,is_local', 'tcp,1,1,1']),
    );

    const first = await openFlows(noSeconds, 'csv', { csvMapping: MAPPING }).catch(
      (caught: unknown) => caught,
    );
    const second = await openFlows(noLabel, 'csv', { csvMapping: MAPPING }).catch(
      (caught: unknown) => caught,
    );
    expect(first).to.be.instanceOf(FlowFormatError);
    expect((first as Error).message).to.equal(
      `${noSeconds}:1: CSV header has no column 'seconds' (columns: proto, bytes_out, is_local, verdict)`,
    );
    expect((second as Error).message).to.match(
      /no-label\.csv:1: CSV header has no column 'verdict'/,
    );
  });

  it('fails on opening a file without a header row, saying which column it looked for', async () => {
    const file = dir.write('headless.csv', csv(['tcp,1,1,1,benign']));

    const error = await openFlows(file, 'csv', { csvMapping: MAPPING }).catch(
      (caught: unknown) => caught,
    );
    expect((error as Error).message).to.match(
      /headless\.csv:1: CSV header has no column 'proto' \(columns: tcp, 1, 1, 1, benign\)/,
    );
  });

  it('stops at broken quoting, naming the line, rather than merging the rows after it', async () => {
    const file = dir.write(
      'quotes.csv',
      csv(['proto,bytes_out,seconds,is_local,verdict', 'tcp,1,1,1,benign', '"tcp"x,1,1,1,benign']),
    );
    const source = await openFlows(file, 'csv', { csvMapping: MAPPING });

    const error = await readAll(source).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(FlowFormatError);
    expect((error as FlowFormatError).line).to.equal(3);
    expect((error as Error).message).to.match(
      /quotes\.csv:3: cannot parse \(Invalid Closing Quote/,
    );
  });

  it('needs a mapping', async () => {
    const file = dir.write('unmapped.csv', csv(['proto', 'tcp']));

    const error = await openFlows(file, 'csv').catch((caught: unknown) => caught);
    expect((error as Error).message).to.equal(
      "format 'csv' needs options.csvMapping to map columns to fields",
    );
  });
});
