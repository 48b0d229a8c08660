import { expect } from 'chai';
import {
  KDD99_COLUMNS,
  NSL_KDD_COLUMNS,
  ZEEK_CONN_SCHEMA,
  zeekConnColumns,
} from '../../../shared/flows/builtin-schemas.js';
import { type FlowSchema, NUMERIC_KINDS, sameSchema } from '../../../shared/flows/schema.js';

describe('built-in schemas', () => {
  it('gives NSL-KDD 43 columns: 41 features, the label, and an ignored difficulty', () => {
    const kinds = NSL_KDD_COLUMNS.columns.map((column) => column.kind);

    expect(kinds).to.have.length(43);
    expect(NSL_KDD_COLUMNS.columns.slice(41)).to.deep.equal([
      { name: 'label', kind: 'label' },
      { name: 'difficulty', kind: 'ignored' },
    ]);
    expect(KDD99_COLUMNS.columns).to.have.length(42);
    expect(KDD99_COLUMNS.schema.fields).to.deep.equal(NSL_KDD_COLUMNS.schema.fields);
  });

  it('makes the symbolic KDD fields categorical and the four 0/1 fields flags', () => {
    const fields = NSL_KDD_COLUMNS.schema.fields;
    const categorical = fields
      .filter((field) => field.kind === 'categorical')
      .map((field) => field.name);
    const flags = fields
      .filter((field) => field.kind === 'numeric' && field.numeric === 'flag')
      .map((field) => field.name);

    expect(categorical).to.deep.equal(['protocol_type', 'service', 'flag']);
    expect(flags).to.deep.equal(['land', 'logged_in', 'is_host_login', 'is_guest_login']);
    expect(fields.find((field) => field.name === 'src_bytes')).to.deep.equal({
      name: 'src_bytes',
      kind: 'numeric',
      numeric: 'bytes',
    });
    expect(fields.find((field) => field.name === 'serror_rate')).to.deep.equal({
      name: 'serror_rate',
      kind: 'numeric',
      numeric: 'rate',
    });
  });

  it('ignores every Zeek column outside the fixed model fields, and finds an optional label', () => {
    const roles = zeekConnColumns(
      [
        'ts',
        'uid',
        'id.orig_h',
        'mystery',
        ...ZEEK_CONN_SCHEMA.fields.map((field) => field.name),
        'label',
      ],
      'conn.log',
      7,
    );

    expect(roles.slice(0, 4).map((role) => role.kind)).to.deep.equal([
      'ignored',
      'ignored',
      'ignored',
      'ignored',
    ]);
    expect(roles.at(-1)).to.deep.equal({ name: 'label', kind: 'label' });
  });

  it('rejects a Zeek header naming a model column twice', () => {
    const names = [...ZEEK_CONN_SCHEMA.fields.map((field) => field.name), 'proto'];

    expect(() => zeekConnColumns(names, 'conn.log', 7)).to.throw(
      "conn.log:7: column 'proto' appears twice in the header",
    );
  });

  it('lists every numeric kind', () => {
    expect(NUMERIC_KINDS).to.deep.equal(['count', 'bytes', 'duration', 'rate', 'flag']);
  });

  it('compares schemas by name, field names, kinds and numeric kinds', () => {
    const base: FlowSchema = {
      name: 'csv',
      fields: [{ name: 'a', kind: 'numeric', numeric: 'count' }],
    };

    expect(
      sameSchema(base, { name: 'csv', fields: [{ name: 'a', kind: 'numeric', numeric: 'count' }] }),
    ).to.equal(true);
    expect(
      sameSchema(base, { name: 'csv', fields: [{ name: 'a', kind: 'numeric', numeric: 'bytes' }] }),
    ).to.equal(false);
    expect(
      sameSchema(base, { name: 'csv', fields: [{ name: 'a', kind: 'categorical' }] }),
    ).to.equal(false);
    expect(sameSchema(base, { name: 'csv', fields: [] })).to.equal(false);
    expect(sameSchema(base, { name: 'zeek-conn', fields: base.fields })).to.equal(false);
  });
});
