/**
 * The poisoning benchmark's attackers: a modified site that sends (a) its delta scaled by 100,
 * (b) its delta sign-flipped, (c) random finite values of magnitude 1e4, (e) honest deltas
 * but as many rows and examples as the row ceiling allows, with histograms that add up, or
 * (d) an honest delta from data in which attacks are labelled normal (mislabelledSiteFile).
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { federationConfigSchema } from '../../shared/config/federation-schema.js';
import type { Attack } from './in-process.js';

const mapDelta =
  (f: (delta: Float32Array) => Float32Array): Attack =>
  async (_task, honest) => {
    const payload = await honest();
    return payload.kind === 'delta' ? { ...payload, delta: f(payload.delta) } : payload;
  };

/**
 * (e): every count the site reports multiplied by the largest factor that keeps its declared
 * rows under the default federation.maxSiteRows, so every consistency check still passes.
 * Every run starts with the sketch, which sets the factor its later payloads use.
 */
function inflatedRows(): Attack {
  const ceiling = federationConfigSchema.maxSiteRows.default;
  let factor = 1;
  const times = (counts: readonly number[]) => counts.map((n) => n * factor);
  return async (_task, honest) => {
    const payload = await honest();
    if (payload.kind === 'sketch') {
      factor = Math.max(1, Math.floor(ceiling / Math.max(1, payload.rows)));
      return {
        ...payload,
        rows: payload.rows * factor,
        categorical: payload.categorical.map((c) => ({ ...c, counts: times(c.counts) })),
        numeric: payload.numeric.map((n) => ({ ...n, counts: times(n.counts) })),
      };
    }
    if (payload.kind === 'delta') return { ...payload, examples: payload.examples * factor };
    if (payload.kind !== 'histogram') return payload; // secure aggregation: not attacked here
    return { ...payload, flows: payload.flows * factor, counts: times(payload.counts) };
  };
}

export const PAYLOAD_ATTACKS: Readonly<Record<string, Attack>> = {
  'scaled-x100': mapDelta((d) => d.map((v) => v * 100)),
  'sign-flipped': mapDelta((d) => d.map((v) => -v)),
  'random-1e4': mapDelta((d) => {
    const rng = xoroshiro128plus(d.length);
    return d.map(() => (uniformFloat64(rng) * 2 - 1) * 1e4);
  }),
  'inflated-rows': inflatedRows(),
};

/**
 * (d): the site's own normal rows plus as many attack rows of `attackSource` relabelled
 * 'normal' (NSL-KDD rows: the label is column 42), so honest training learns attacks as normal.
 */
export async function mislabelledSiteFile(
  siteFile: string,
  attackSource: string,
  out: string,
): Promise<void> {
  const output = createWriteStream(out);
  let own = 0;
  for await (const line of createInterface({ input: createReadStream(siteFile) })) {
    output.write(`${line}\n`);
    own++;
  }
  let added = 0;
  for await (const line of createInterface({ input: createReadStream(attackSource) })) {
    const cells = line.split(',');
    if (added >= own || cells[41] === 'normal' || cells.length < 42) continue;
    cells[41] = 'normal';
    output.write(`${cells.join(',')}\n`);
    added++;
  }
  output.end();
  await once(output, 'finish');
}
