import { expect } from 'chai';
import { fromRing, toRing } from '../../../shared/codec/ring-encoding.js';
import { seededUniform } from '../../../shared/codec/stochastic-rounding.js';
import {
  defaultThreshold,
  neighbourGraph,
  type Roster,
  rosterProblem,
} from '../../../shared/secagg/roster.js';
import {
  buildRoster,
  routeShares,
  unmaskedSum,
  unmaskRequest,
} from '../../../shared/secagg/secagg-server.js';
import {
  SecAggRefusal,
  SecAggSite,
  type UnmaskResponse,
} from '../../../shared/secagg/secagg-site.js';

type Step = 'keys' | 'shares' | 'input' | 'unmask';
const identity = <T>(items: T[]) => items;

/** Runs one aggregation of `inputs` (ring words) with sites dropping out before the step named. */
async function aggregate(
  inputs: ReadonlyMap<string, Uint32Array>,
  drops: Readonly<Record<string, Step>> = {},
  degree = inputs.size - 1,
) {
  const sites = new Map([...inputs.keys()].map((id) => [id, new SecAggSite(id)]));
  const alive = (step: Step) =>
    [...sites.keys()].filter((id) => drops[id] !== step && !droppedBefore(id, step));
  const order: Step[] = ['keys', 'shares', 'input', 'unmask'];
  const droppedBefore = (id: string, step: Step) =>
    drops[id] !== undefined && order.indexOf(drops[id]!) < order.indexOf(step);
  const keys = new Map(alive('keys').map((id) => [id, sites.get(id)!.advertise()]));
  const roster = buildRoster('task-1', keys, { degree, threshold: defaultThreshold }, identity);
  const sent = new Map(
    await Promise.all(
      alive('shares').map(async (id) => [id, await sites.get(id)!.shareKeys(roster)] as const),
    ),
  );
  const inbox = routeShares(roster, sent);
  const sharers = [...sent.keys()];
  const masked = new Map(
    alive('input').map((id) => [
      id,
      sites.get(id)!.maskInput(inputs.get(id)!, inbox.get(id)!, sharers),
    ]),
  );
  const request = unmaskRequest(sharers, [...masked.keys()]);
  const responses = new Map<string, UnmaskResponse>(
    alive('unmask').map((id) => [id, sites.get(id)!.unmask(request)]),
  );
  const commitments = new Map([...sent].map(([id, s]) => [id, s.selfMaskCommitment]));
  const sum = await unmaskedSum({ roster, commitments, request, masked, responses });
  return { sum, masked, roster, request, sites };
}

function randomInputs(
  ids: readonly string[],
  length: number,
  seed: number,
): Map<string, Uint32Array> {
  const uniform = seededUniform(seed);
  return new Map(
    ids.map((id) => [
      id,
      Uint32Array.from({ length }, () => Math.floor(uniform() * 2 ** 20) - 2 ** 19),
    ]),
  );
}

function plainSum(inputs: ReadonlyMap<string, Uint32Array>, only: readonly string[]): Uint32Array {
  const sum = new Uint32Array(inputs.values().next().value!.length);
  for (const id of only) {
    const x = inputs.get(id)!;
    for (let i = 0; i < sum.length; i++) sum[i] = (sum[i]! + x[i]!) >>> 0;
  }
  return sum;
}

const IDS = ['site-a', 'site-b', 'site-c', 'site-d', 'site-e'];

describe('secure aggregation', function () {
  this.timeout(30_000);

  it('gives the coordinator exactly the sum of the inputs, and each masked input alone is unlike its input', async () => {
    const inputs = randomInputs(IDS, 1000, 1);
    const { sum, masked } = await aggregate(inputs);
    expect([...sum]).to.deep.equal([...plainSum(inputs, IDS)]);
    for (const id of IDS) {
      const same = masked.get(id)!.filter((w, i) => w === inputs.get(id)![i]).length;
      expect(same, id).to.be.below(3);
    }
  });

  it('sums fixed-point deltas weighted by examples at the sites to the weighted sum, within the rounding', async () => {
    const uniform = seededUniform(3);
    const deltas = IDS.map(() => Float32Array.from({ length: 500 }, () => (uniform() - 0.5) * 0.2));
    const examples = [5618, 1537, 1183, 1215, 1210];
    const step = (examples.reduce((a, b) => a + b) * 1) / 2 ** 30;
    const inputs = new Map(
      IDS.map((id, k) => [
        id,
        toRing(deltas[k]!, { weight: examples[k]!, bound: 1, step }, uniform),
      ]),
    );
    const { sum } = await aggregate(inputs);
    const total = fromRing(sum, step);
    for (let i = 0; i < 500; i++) {
      const expected = deltas.reduce((s, d, k) => s + d[i]! * examples[k]!, 0);
      expect(Math.abs(total[i]! - expected)).to.be.at.most(IDS.length * step);
    }
  });

  for (const [step, what] of [
    ['keys', 'before sending its keys (it is not in the roster)'],
    ['shares', 'after its keys, before its shares'],
    ['input', 'after its shares, before its masked input (its pairwise masks are rebuilt)'],
  ] as const) {
    it(`still sums the survivors exactly when a site drops ${what}`, async () => {
      const inputs = randomInputs(IDS, 300, 7);
      const { sum, request } = await aggregate(inputs, { 'site-c': step });
      expect(request.survivors).to.not.include('site-c');
      expect([...sum]).to.deep.equal([...plainSum(inputs, request.survivors)]);
    });
  }

  it('still sums every input that arrived when a site drops after sending it, before unmasking', async () => {
    const inputs = randomInputs(IDS, 300, 8);
    const { sum, request } = await aggregate(inputs, { 'site-b': 'unmask' });
    expect(request.survivors).to.include('site-b');
    expect([...sum]).to.deep.equal([...plainSum(inputs, IDS)]);
  });

  it('survives two of five dropping mid-round (threshold 3 of 5 holders), at two different steps', async () => {
    const inputs = randomInputs(IDS, 300, 9);
    const { sum, request, roster } = await aggregate(inputs, {
      'site-a': 'input',
      'site-e': 'unmask',
    });
    expect(roster.threshold).to.equal(3);
    expect(request.survivors).to.deep.equal(['site-b', 'site-c', 'site-d', 'site-e']);
    expect([...sum]).to.deep.equal([...plainSum(inputs, request.survivors)]);
  });

  it('fails cleanly, naming the site, when fewer than the threshold remain to rebuild a secret', async () => {
    const inputs = randomInputs(IDS, 50, 10);
    const error = await aggregate(inputs, {
      'site-a': 'unmask',
      'site-b': 'unmask',
      'site-c': 'input',
    }).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).to.match(
      /^2 shares of site-\w's (self-mask seed|mask key) arrived, the threshold is 3$/,
    );
  });

  it('has sites refuse to mask when fewer than the threshold of their neighbours shared keys', async () => {
    const inputs = randomInputs(IDS, 50, 11);
    const error = await aggregate(inputs, {
      'site-a': 'shares',
      'site-b': 'shares',
      'site-c': 'shares',
    }).then(
      () => null,
      (e: Error) => e,
    );
    expect(error).to.be.instanceOf(SecAggRefusal);
    expect(error?.message).to.equal(
      '1 neighbours shared their keys: with this site, fewer than the threshold 3',
    );
  });

  it('works on a sparse neighbour graph (SecAgg+): 10 sites of 4 neighbours each, 2 dropping', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    const inputs = randomInputs(ids, 200, 12);
    const { sum, request, roster } = await aggregate(inputs, { s03: 'input', s07: 'unmask' }, 4);
    for (const id of ids) expect(roster.neighbours[id]).to.have.length(4);
    expect(roster.threshold).to.equal(3);
    expect([...sum]).to.deep.equal([...plainSum(inputs, request.survivors)]);
  });

  it("makes one site's masked vector uniform: byte frequencies and word means as random words have them", async () => {
    // A constant, highly structured input: the mask alone must make it look random.
    const inputs = new Map(IDS.map((id) => [id, new Uint32Array(65_536).fill(7)]));
    const { masked } = await aggregate(inputs);
    const words = masked.get('site-c')!;
    const bytes = new Uint8Array(words.buffer);
    const counts = new Array(256).fill(0);
    for (const b of bytes) counts[b]++;
    const expected = bytes.length / 256;
    const chiSquare = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    // 255 degrees of freedom: 99.9% of random byte strings score below 330.
    expect(chiSquare).to.be.below(330);
    const mean = words.reduce((s, w) => s + w / 2 ** 32, 0) / words.length;
    expect(mean).to.be.closeTo(0.5, 0.005);
  });
});

describe('the site side of secure aggregation refuses what could unmask one input', function () {
  this.timeout(30_000);

  /** Five sites through the shares step of aggregation `round`. */
  async function shared(round: string) {
    const sites = IDS.map((id) => new SecAggSite(id));
    const keys = new Map(sites.map((s) => [s.id, s.advertise()]));
    const roster = buildRoster(round, keys, { degree: 4, threshold: defaultThreshold }, identity);
    const sent = new Map(
      await Promise.all(sites.map(async (s) => [s.id, await s.shareKeys(roster)] as const)),
    );
    return { sites, roster, sent, inbox: routeShares(roster, sent) };
  }

  /** Five sites that have masked their input. */
  async function throughInput() {
    const run = await shared('task-9');
    for (const s of run.sites) s.maskInput(new Uint32Array(8), run.inbox.get(s.id)!, IDS);
    return run;
  }

  it('refuses a request that lists one site as both survived and dropped', async () => {
    const { sites } = await throughInput();
    expect(() => sites[0]!.unmask({ survivors: IDS, dropped: ['site-c'] })).to.throw(
      SecAggRefusal,
      'site-c is listed as both survived and dropped: that would unmask its input',
    );
  });

  it("refuses, after revealing a site's self-mask share, to reveal its mask-key share in a second request", async () => {
    const { sites } = await throughInput();
    const first = sites[0]!.unmask({ survivors: IDS, dropped: [] });
    expect(first.selfMaskShares.map((s) => s.of)).to.include('site-c');
    expect(() =>
      sites[0]!.unmask({ survivors: IDS.filter((id) => id !== 'site-c'), dropped: ['site-c'] }),
    ).to.throw(
      SecAggRefusal,
      "a share of site-c's selfMask was revealed already; refusing its maskKey",
    );
  });

  it('refuses survivors below the threshold, strangers, and a request that drops the asking site', async () => {
    const { sites } = await throughInput();
    const a = sites[0]!;
    expect(() =>
      a.unmask({ survivors: ['site-a', 'site-b'], dropped: ['site-c', 'site-d', 'site-e'] }),
    ).to.throw('2 inputs arrived, fewer than the threshold 3');
    expect(() => a.unmask({ survivors: [...IDS, 'mallory'], dropped: [] })).to.throw(
      'mallory did not share its keys in this round',
    );
    expect(() => a.unmask({ survivors: IDS.slice(1), dropped: ['site-a'] })).to.throw(
      'this site sent its input but is listed as dropped',
    );
  });

  it('refuses a share routed to the wrong site, and a roster with other keys or a weak threshold', async () => {
    const { sites, roster, inbox } = await shared('task-2');
    expect(() => sites[0]!.maskInput(new Uint32Array(4), inbox.get('site-b')!, IDS)).to.throw(
      SecAggRefusal,
      'a share for site-b was routed here',
    );
    const other = new SecAggSite('site-a');
    const refused = await other.shareKeys(roster).then(
      () => null,
      (e: Error) => e.message,
    );
    expect(refused).to.equal(
      'roster refused: it lists other keys for this site than it advertised',
    );
    const weak: Roster = { ...roster, threshold: 2 };
    expect(rosterProblem(weak, 'site-a')).to.equal(
      "threshold 2 is not more than half of the 5 holders of site-a's secrets",
    );
  });

  it('opens no share replayed from another round', async () => {
    const { inbox } = await throughInput();
    const next = await shared('task-10');
    expect(() => next.sites[0]!.maskInput(new Uint32Array(4), inbox.get('site-a')!, IDS)).to.throw(
      SecAggRefusal,
      /does not open|another round/,
    );
  });
});

describe('the neighbour graph', () => {
  it('joins every pair when the degree reaches the others, and each site to degree others otherwise', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const full = neighbourGraph(ids, 6);
    for (const id of ids) expect(full[id]).to.have.length(6);
    const sparse = neighbourGraph(ids, 4);
    for (const id of ids) expect(sparse[id]).to.have.length(4);
    for (const [u, vs] of Object.entries(sparse))
      for (const v of vs) expect(sparse[v]).to.include(u);
  });
});
