import { expect } from 'chai';
import { BatchBuilder } from '../../../client/detect/batch-builder.js';
import type { EncodedBatch } from '../../../client/detect/encoded-batch.js';
import { NO_FLOW } from '../../../shared/encoding/host-history.js';
import type { FlowRow } from '../../../shared/flows/schema.js';
import { toyRows } from '../../helpers/toy-flows.js';
import { toyEncoder } from '../../helpers/toy-model.js';

const HISTORY = { steps: 2, maxHosts: 10, gapSeconds: null };

/** Toy rows from hosts a, b, a, a, b ... with their context. */
function hostRows(count: number): FlowRow[] {
  return toyRows(count).map((row, i) => ({
    ...row,
    context: {
      ts: i,
      uid: null,
      srcAddr: i % 3 === 1 ? 'b' : 'a',
      srcPort: null,
      dstAddr: null,
      dstPort: null,
    },
  }));
}

async function batches(rows: FlowRow[], skip = 0): Promise<EncodedBatch[]> {
  const out: EncodedBatch[] = [];
  const builder = new BatchBuilder(toyEncoder(), 4, HISTORY, async (batch) => {
    out.push(batch);
  });
  for (const [i, row] of rows.entries()) {
    if (i < skip) builder.skip(row);
    else await builder.add(row);
  }
  await builder.flush();
  return out;
}

describe("the encode worker's batches for the sequence model", () => {
  it("carry each row's history: its host's earlier flows, in file order across batches", async () => {
    const rows = hostRows(6);
    const sent = await batches(rows);
    const fields = 4;
    const history = (b: number, r: number) => [
      ...sent[b]!.history!.subarray(r * 2 * fields, (r + 1) * 2 * fields),
    ];
    // Row 0 (a) has none; row 3 (a) follows rows 0 and 2; row 4 (b, 2nd batch) follows row 1.
    expect(history(0, 0)).to.deep.equal(Array(8).fill(NO_FLOW));
    expect(history(0, 3)).to.deep.equal([
      ...sent[0]!.codes.subarray(0, fields),
      ...sent[0]!.codes.subarray(2 * fields, 3 * fields),
    ]);
    expect(history(1, 0)).to.deep.equal([
      ...Array(fields).fill(NO_FLOW),
      ...sent[0]!.codes.subarray(fields, 2 * fields),
    ]);
  });

  it('give a restart that skips the rows it scored the same histories as a run that never stopped', async () => {
    const rows = hostRows(12);
    const whole = await batches(rows);
    const resumed = await batches(rows, 4);
    expect(resumed.map((b) => [...b.history!])).to.deep.equal(
      whole.slice(1).map((b) => [...b.history!]),
    );
  });
});
