import { expect } from 'chai';
import { schemaDifference } from '../../../client/pipeline/fixed-encoder-data.js';
import type { FlowSchema } from '../../../shared/flows/schema.js';
import { TOY_SCHEMA } from '../../helpers/toy-flows.js';

const withFields = (fields: FlowSchema['fields']): FlowSchema => ({ name: 'other', fields });

describe('schemaDifference', () => {
  it('finds none when the fields agree, whatever the schema is called', () => {
    expect(schemaDifference(TOY_SCHEMA, withFields(TOY_SCHEMA.fields))).to.equal(null);
  });

  it('names the first field whose name or kind differs', () => {
    const fields = [...TOY_SCHEMA.fields];
    fields[2] = { name: 'bytes', kind: 'numeric', numeric: 'count' };
    expect(schemaDifference(TOY_SCHEMA, withFields(fields))).to.equal(
      "field 3: the model has 'bytes (numeric bytes)', the data 'bytes (numeric count)'",
    );
  });

  it('says which side runs out of fields first', () => {
    const shorter = withFields(TOY_SCHEMA.fields.slice(0, 3));
    expect(schemaDifference(TOY_SCHEMA, shorter)).to.equal(
      "field 4: the model has 'syn_only (numeric flag)', the data ends",
    );
    expect(schemaDifference(shorter, TOY_SCHEMA)).to.equal(
      "field 4: the data has 'syn_only (numeric flag)', the model ends",
    );
  });
});
