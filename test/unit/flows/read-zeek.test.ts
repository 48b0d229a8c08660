import { expect } from 'chai';
import { ZEEK_CONN_FIELDS } from '../../../shared/flows/builtin-schemas.js';
import { openFlows } from '../../../shared/flows/readers.js';
import { FlowFormatError } from '../../../shared/flows/schema.js';
import { FixtureDir, fieldValue, issueLog, readAll } from './fixtures.js';
import {
  CONN_FIELDS,
  CONN_TYPES,
  connValues,
  JSON_CONN_RECORD as record,
  zeekTsv,
} from './zeek-fixtures.js';

describe('Zeek conn.log reader', () => {
  const dir = new FixtureDir();
  after(() => dir.remove());

  describe('on tab-separated logs', () => {
    it('reads the fixed model fields and nothing else, with physical line numbers', async () => {
      const file = dir.write(
        'conn.log',
        zeekTsv([connValues(), connValues({ proto: 'udp', 'id.resp_p': '53' })]),
      );
      const source = await openFlows(file, 'zeek');
      const rows = await readAll(source);

      expect(source.schema.name).to.equal('zeek-conn');
      expect(source.schema.fields).to.deep.equal(ZEEK_CONN_FIELDS);
      expect(rows.map((row) => row.line)).to.deep.equal([9, 10]);
      expect(rows[0]!.values).to.deep.equal([
        'tcp',
        'http',
        'SF',
        'ShADadfF',
        '80',
        'T',
        'F',
        3.139211,
        120,
        4000,
        0,
        6,
        440,
        5,
        4260,
      ]);
      expect(fieldValue(source.schema, rows[1]!, 'id.resp_p')).to.equal('53');
      expect(rows[0]!.label).to.equal(null);
      for (const ignored of [
        '1545403816.962094',
        'CrDn63WjJEmrWGjqf',
        '192.168.1.195',
        '41040',
        '(empty)',
      ]) {
        expect(rows[0]!.values).not.to.include(ignored);
      }
    });

    it("reads Zeek's unset '-' and empty '(empty)' as 0 on numeric fields and '-' on categorical ones", async () => {
      const unset = connValues({
        service: '-',
        duration: '-',
        orig_bytes: '-',
        resp_bytes: '(empty)',
        history: '(empty)',
        local_orig: '-',
      });
      const file = dir.write('unset.log', zeekTsv([unset]));
      const source = await openFlows(file, 'zeek');
      const [row] = await readAll(source);

      expect(fieldValue(source.schema, row!, 'service')).to.equal('-');
      expect(fieldValue(source.schema, row!, 'history')).to.equal('-');
      expect(fieldValue(source.schema, row!, 'local_orig')).to.equal('-');
      expect(fieldValue(source.schema, row!, 'duration')).to.equal(0);
      expect(fieldValue(source.schema, row!, 'orig_bytes')).to.equal(0);
      expect(fieldValue(source.schema, row!, 'resp_bytes')).to.equal(0);
    });

    it('puts values in schema order whatever the column order of the log', async () => {
      const order = [...CONN_FIELDS].reverse();
      const record = connValues();
      const reversed = order.map((name) => record[CONN_FIELDS.indexOf(name)]!);
      const file = dir.write(
        'reordered.log',
        zeekTsv([reversed], order, [...CONN_TYPES].reverse()),
      );
      const [row] = await readAll(await openFlows(file, 'zeek'));

      expect(row!.values.slice(0, 5)).to.deep.equal(['tcp', 'http', 'SF', 'ShADadfF', '80']);
    });

    it('takes the label from a label column and ignores detailed-label', async () => {
      const fields = [...CONN_FIELDS, 'label', 'detailed-label'];
      const types = [...CONN_TYPES, 'string', 'string'];
      const records = [
        [...connValues(), 'Malicious', 'PartOfAHorizontalPortScan'],
        [...connValues(), 'Benign', '-'],
        [...connValues(), '-', '-'],
      ];
      const file = dir.write('labelled.log', zeekTsv(records, fields, types));
      const rows = await readAll(await openFlows(file, 'zeek'));

      expect(rows.map((row) => row.label)).to.deep.equal(['Malicious', 'Benign', null]);
      expect(rows[0]!.values).not.to.include('PartOfAHorizontalPortScan');
    });

    it('reads IoT-23 logs, whose last three columns are separated by spaces instead of tabs', async () => {
      const fields = [...CONN_FIELDS.slice(0, -1), 'tunnel_parents   label   detailed-label'];
      const types = [...CONN_TYPES.slice(0, -1), 'set[string]   string   string'];
      const records = [
        [...connValues().slice(0, -1), '-   Malicious   PartOfAHorizontalPortScan'],
        [...connValues().slice(0, -1), '(empty)   Benign   -'],
      ];
      const file = dir.write('iot23.log', zeekTsv(records, fields, types));
      const rows = await readAll(await openFlows(file, 'zeek'));

      expect(rows.map((row) => [row.line, row.label])).to.deep.equal([
        [9, 'Malicious'],
        [10, 'Benign'],
      ]);
    });

    it('skips and reports malformed records with the field and the reason', async () => {
      const { issues, onBadRow } = issueLog();
      const records = [
        connValues(),
        connValues({ orig_bytes: '-12' }),
        connValues().slice(0, 20),
        connValues({ proto: '' }),
        connValues({ duration: 'NaN' }),
        connValues(),
      ];
      const file = dir.write('malformed.log', zeekTsv(records));
      const source = await openFlows(file, 'zeek', { onBadRow, maxBadShare: 1 });
      const rows = await readAll(source);

      expect(rows.map((row) => row.line)).to.deep.equal([9, 14]);
      expect(issues).to.deep.equal([
        {
          file,
          line: 10,
          field: 'orig_bytes',
          reason: "expected a non-negative number, got '-12'",
        },
        { file, line: 11, field: null, reason: 'expected 21 columns, got 20' },
        { file, line: 12, field: 'proto', reason: 'expected a non-empty value' },
        { file, line: 13, field: 'duration', reason: "expected a finite number, got 'NaN'" },
      ]);
    });

    it('reads a log that has a header but no records yet as no rows', async () => {
      const file = dir.write('no-records.log', zeekTsv([]));
      const source = await openFlows(file, 'zeek');

      expect(await readAll(source)).to.deep.equal([]);
      expect(source.stats).to.deep.equal({ rows: 0, badRows: 0 });
    });

    it('numbers lines past blank lines and through a second header block of concatenated logs', async () => {
      const log = zeekTsv([connValues()]);
      const file = dir.write('concatenated.log', `${log.replace('#types', '\n#types')}\n${log}`);
      const rows = await readAll(await openFlows(file, 'zeek'));

      expect(rows.map((row) => row.line)).to.deep.equal([10, 21]);
    });

    it('fails on opening when a model column is missing, naming it', async () => {
      const fields = CONN_FIELDS.filter((name) => name !== 'history');
      const file = dir.write('no-history.log', zeekTsv([], fields, CONN_TYPES.slice(0, -1)));

      const error = await openFlows(file, 'zeek').catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(FlowFormatError);
      expect((error as Error).message).to.match(
        /^.*no-history\.log:7: Zeek conn\.log header has no column 'history'/,
      );
    });

    it('fails on opening a log of another kind', async () => {
      const file = dir.write('dns.log', zeekTsv([]).replace('#path\tconn', '#path\tdns'));

      const error = await openFlows(file, 'zeek').catch((caught: unknown) => caught);
      expect((error as Error).message).to.equal(`${file}:5: this is a Zeek 'dns' log, not conn`);
    });

    it('fails on opening a log without a #fields line', async () => {
      const file = dir.write('headless.log', `${connValues().join('\t')}\n`);

      const error = await openFlows(file, 'zeek').catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(FlowFormatError);
      expect((error as Error).message).to.equal(
        `${file}:1: a record before the #fields header line: not a Zeek TSV log?`,
      );
    });

    it('fails on opening a log with a separator other than tab', async () => {
      const file = dir.write('commas.log', zeekTsv([]).replace('#separator \\x09', '#separator ,'));

      const error = await openFlows(file, 'zeek').catch((caught: unknown) => caught);
      expect((error as Error).message).to.equal(
        `${file}:1: unsupported #separator ',' (only tab-separated Zeek logs are read)`,
      );
    });
  });

  describe('on JSON-lines logs', () => {
    const jsonLine = (overrides: Record<string, unknown> = {}) =>
      JSON.stringify({ ...record, ...overrides });

    it('detects JSON and reads the same values a TSV log gives', async () => {
      const file = dir.write('conn.json', `\n${jsonLine()}\n\n${jsonLine({ label: 'Benign' })}\n`);
      const source = await openFlows(file, 'zeek');
      const rows = await readAll(source);

      expect(source.schema.name).to.equal('zeek-conn');
      expect(rows.map((row) => [row.line, row.label])).to.deep.equal([
        [2, null],
        [4, 'Benign'],
      ]);
      expect(rows[0]!.values).to.deep.equal([
        'tcp',
        'http',
        'SF',
        'ShADadfF',
        '80',
        'T',
        'F',
        3.139211,
        120,
        4000,
        0,
        6,
        440,
        5,
        4260,
      ]);
    });

    it('reads optional fields Zeek left out as unset', async () => {
      const sparse: Record<string, unknown> = { ...record };
      for (const key of ['service', 'duration', 'orig_bytes', 'local_orig', 'history'])
        delete sparse[key];
      const file = dir.write('sparse.json', `${JSON.stringify(sparse)}\n`);
      const source = await openFlows(file, 'zeek');
      const [row] = await readAll(source);

      expect(fieldValue(source.schema, row!, 'service')).to.equal('-');
      expect(fieldValue(source.schema, row!, 'local_orig')).to.equal('-');
      expect(fieldValue(source.schema, row!, 'history')).to.equal('-');
      expect(fieldValue(source.schema, row!, 'duration')).to.equal(0);
      expect(fieldValue(source.schema, row!, 'orig_bytes')).to.equal(0);
    });

    it('skips and reports bad JSON, non-objects, missing keys and bad values', async () => {
      const { issues, onBadRow } = issueLog();
      const lines = [
        jsonLine(),
        '{"proto": "tcp",',
        '[1, 2]',
        jsonLine({ proto: undefined }),
        jsonLine({ resp_bytes: -5 }),
        jsonLine({ orig_pkts: 'many' }),
        jsonLine({ service: { name: 'http' } }),
        jsonLine({ label: 7 }),
        jsonLine(),
      ];
      const file = dir.write('malformed.json', `${lines.join('\n')}\n`);
      const source = await openFlows(file, 'zeek', { onBadRow, maxBadShare: 1 });
      const rows = await readAll(source);

      expect(rows.map((row) => row.line)).to.deep.equal([1, 9]);
      expect(issues.map(({ line, field }) => [line, field])).to.deep.equal([
        [2, null],
        [3, null],
        [4, 'proto'],
        [5, 'resp_bytes'],
        [6, 'orig_pkts'],
        [7, 'service'],
        [8, 'label'],
      ]);
      expect(issues[0]!.reason).to.match(/^invalid JSON: /);
      expect(issues.slice(1).map((issue) => issue.reason)).to.deep.equal([
        'expected a JSON object, got [1,2]',
        "missing key 'proto'",
        "expected a non-negative number, got '-5'",
        "expected a non-negative number, got 'many'",
        'expected a string, number or boolean, got {"name":"http"}',
        'expected a non-empty string, got 7',
      ]);
    });

    it('fails on opening when the first record is not a conn record', async () => {
      const file = dir.write(
        'dns.json',
        `${JSON.stringify({ ts: 1, uid: 'C1', query: 'example.com' })}\n`,
      );

      const error = await openFlows(file, 'zeek').catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(FlowFormatError);
      expect((error as Error).message).to.equal(
        `${file}:1: the first record has no key 'proto': not a Zeek conn.log`,
      );
    });

    it('fails on opening a JSON array, which Zeek does not write', async () => {
      const file = dir.write('array.json', `[${jsonLine()}]\n`);

      const error = await openFlows(file, 'zeek').catch((caught: unknown) => caught);
      expect((error as Error).message).to.match(
        /a JSON array is not read; Zeek JSON logs have one object per line/,
      );
    });
  });
});
