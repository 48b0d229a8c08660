import { expect } from 'chai';
import { KDD_FEATURES } from '../../../shared/flows/builtin-schemas.js';
import type { DeriveStageFactory } from '../../../shared/flows/derive.js';
import { openPipeline } from '../../../shared/flows/pipeline.js';
import type { FlowRow } from '../../../shared/flows/schema.js';
import { FixtureDir, kddLine } from './fixtures.js';

/** A stage that appends how many earlier rows had the same service, whatever their label. */
const earlierSameService: DeriveStageFactory = () => {
  const seen = new Map<string, number>();
  return {
    fields: [{ name: 'earlier_same_service', kind: 'numeric', numeric: 'count' }],
    derive(row, out) {
      const service = row.values[2] as string;
      out.push(seen.get(service) ?? 0);
      seen.set(service, (seen.get(service) ?? 0) + 1);
    },
  };
};

async function rowsOf(rows: AsyncIterable<FlowRow>): Promise<FlowRow[]> {
  const all: FlowRow[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

describe('the flow pipeline (read -> derive -> select)', () => {
  const dir = new FixtureDir();
  after(() => dir.remove());
  const file = dir.write(
    'kdd.txt',
    `${[
      kddLine({ service: 'http', label: 'normal' }),
      kddLine({ service: 'http', label: 'neptune' }),
      kddLine({ service: 'http', label: 'normal' }),
      kddLine({ service: 'ftp', label: 'normal' }),
    ].join('\n')}\n`,
  );
  const selection = { files: [file], format: 'nsl-kdd' as const, read: {} };

  it("hands on the file's schema and rows untouched when no stage derives anything", async () => {
    const flows = await openPipeline({ ...selection, onlyLabel: null });
    const rows = await rowsOf(flows.rows);

    expect(flows.schema.fields).to.deep.equal(KDD_FEATURES);
    expect(rows.map((r) => r.label)).to.deep.equal(['normal', 'neptune', 'normal', 'normal']);
    expect(flows.stats).to.deep.equal({ rows: 4, badRows: 0 });
  });

  it('appends derived fields to the schema and to every row, after the read fields', async () => {
    const flows = await openPipeline({ ...selection, onlyLabel: null }, [earlierSameService]);
    const rows = await rowsOf(flows.rows);

    expect(flows.schema.fields).to.have.length(KDD_FEATURES.length + 1);
    expect(flows.schema.fields.at(-1)!.name).to.equal('earlier_same_service');
    expect(rows.map((r) => r.values.length)).to.deep.equal([42, 42, 42, 42]);
    expect(rows.map((r) => r.values.at(-1))).to.deep.equal([0, 1, 2, 0]);
  });

  it('derives from every row but hands on only the selected label', async () => {
    const flows = await openPipeline({ ...selection, onlyLabel: 'normal' }, [earlierSameService]);
    const rows = await rowsOf(flows.rows);

    // The attack row is not trained on, yet the third row counts it as earlier traffic.
    expect(rows.map((r) => [r.line, r.values.at(-1)])).to.deep.equal([
      [1, 0],
      [3, 2],
      [4, 0],
    ]);
    expect(flows.stats.rows).to.equal(4);
  });

  it('starts every pass with fresh stage state, so a second pass derives the same values', async () => {
    const flows = await openPipeline({ ...selection, onlyLabel: null }, [earlierSameService]);
    const first = (await rowsOf(flows.rows)).map((r) => r.values.at(-1));
    const second = (await rowsOf(flows.rows)).map((r) => r.values.at(-1));

    expect(second).to.deep.equal(first);
  });
});
