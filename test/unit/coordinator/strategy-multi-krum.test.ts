import { expect } from 'chai';
import { expectClose, screenWith, site } from './strategy-suite.js';

const DIM = 20;
/** Deterministic uniform numbers in [-1, 1) (mulberry32), so a failure reproduces. */
function randomValues(seed: number, count: number): number[] {
  let a = seed;
  return Array.from({ length: count }, () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * 2 - 1;
  });
}
const BASE = randomValues(1, DIM);
/** Sites training on similar data: one direction plus 5% noise each, 20, 30, 40... examples. */
const honest = (count: number) =>
  Array.from({ length: count }, (_, k) => {
    const noise = randomValues(100 + k, DIM);
    return site(
      `h${k}`,
      BASE.map((v, i) => v + 0.05 * noise[i]!),
      20 + 10 * k,
    );
  });
const random = site(
  'z-random',
  randomValues(7, DIM).map((v) => v * 1e4),
  40,
);
const flipped = site(
  'z-flip',
  BASE.map((v) => -v),
  40,
);
const KEPT_4_EXCLUDED_1 = ['kept', 'kept', 'kept', 'kept', 'excluded'];

describe('multi-krum screening', () => {
  const attackers = [
    ['random values of magnitude 1e4', random],
    ['a sign-flipped delta', flipped],
  ] as const;
  for (const [what, attacker] of attackers) {
    it(`excludes ${what} among 5 sites with similar honest deltas`, () => {
      const { reports, update } = screenWith('multi-krum', [...honest(4), attacker]);
      expect(reports.map((r) => r.action)).to.deep.equal(KEPT_4_EXCLUDED_1);
      expect(reports[4]!.reason).to.match(
        /^Multi-Krum score [\d.e]+, among the 1 highest of 5 and above 2x the median [\d.e]+: excluded$/,
      );
      expect(reports.map((r) => r.weight)).to.deep.equal([20, 30, 40, 50, 0].map((n) => n / 140));
      expectClose(update, screenWith('none', honest(4)).update);
    });
  }

  it('keeps a site that merely differs from the others: its score is under 2x the median', () => {
    // Five sites, each its own direction (different traffic): no score stands out.
    const diverse = Array.from({ length: 5 }, (_, k) =>
      site(`d${k}`, randomValues(200 + k, DIM), 30),
    );
    const { reports } = screenWith('multi-krum', diverse);
    expect(reports.every((r) => r.action === 'kept')).to.equal(true);
    // With the ratio at 0 (the paper's rule) the highest score is excluded all the same.
    const classic = screenWith('multi-krum', diverse, { krumOutlierRatio: 0 }).reports;
    expect(classic.filter((r) => r.action === 'excluded')).to.have.length(1);
  });

  it('excludes both attackers among 7 sites when told to tolerate 2', () => {
    const { reports } = screenWith('multi-krum', [...honest(5), random, flipped], { byzantine: 2 });
    const excluded = reports.filter((r) => r.action === 'excluded').map((r) => r.clientId);
    expect(excluded).to.deep.equal(['z-random', 'z-flip']);
  });

  it('tolerates fewer byzantine sites than configured when too few report, and says so', () => {
    const { reports } = screenWith('multi-krum', [...honest(4), random], { byzantine: 2 });
    expect(reports.map((r) => r.action)).to.deep.equal(KEPT_4_EXCLUDED_1);
    const why = /tolerates f=1, not the configured 2: 5 results, f needs n > 2f \+ 2$/;
    for (const r of reports) expect(r.reason).to.match(why);
  });

  it('keeps every delta when fewer than 5 sites report, rather than fail the round', () => {
    const few = screenWith('multi-krum', [honest(1)[0]!, random]).reports;
    expect(few.map((r) => r.action)).to.deep.equal(['kept', 'kept']);
    expect(few[0]!.reason).to.match(/tolerates f=0, not the configured 1: 2 results/);
    expect(screenWith('multi-krum', honest(4)).reports.every((r) => r.action === 'kept')).to.equal(
      true,
    );
  });
});

describe('robust screening (clip, then exclude opposed or outlying deltas)', () => {
  /** Five sites that see different traffic: a shared direction plus a large site-own part. */
  const diverse = Array.from({ length: 5 }, (_, k) =>
    site(
      `d${k}`,
      BASE.map((v, i) => v + 1.5 * randomValues(300 + k, DIM)[i]!),
      k === 0 ? 200 : 50,
    ),
  );
  const replaced = (k: number, delta: number[]) =>
    diverse.map((s, j) => (j === k ? site(s.clientId, delta, s.examples) : s));

  it('keeps every site that merely sees different traffic', () => {
    const { reports } = screenWith('robust', diverse);
    expect(reports.map((r) => r.action)).to.deep.equal(['kept', 'kept', 'kept', 'kept', 'kept']);
  });

  it('excludes a sign flip, even from the site with most of the examples, saying why', () => {
    const flipped = replaced(
      0,
      [...diverse[0]!.delta].map((v) => -v),
    );
    const { reports, update } = screenWith('robust', flipped);
    expect(reports.map((r) => r.action)).to.deep.equal([
      'excluded',
      'kept',
      'kept',
      'kept',
      'kept',
    ]);
    expect(reports[0]!.reason).to.match(
      /^cosine -[\d.]+ to the other sites' mean update, below 0: excluded$/,
    );
    expectClose(update, screenWith('none', diverse.slice(1)).update);
  });

  it('excludes random values of magnitude 1e4 after clipping them, and clips but keeps nothing else', () => {
    const { reports } = screenWith(
      'robust',
      replaced(
        2,
        randomValues(9, DIM).map((v) => v * 1e4),
      ),
    );
    expect(reports.map((r) => r.action)).to.deep.equal([
      'kept',
      'kept',
      'excluded',
      'kept',
      'kept',
    ]);
    expect(reports[2]!.reason).to.match(
      /^norm .* clipped to .*; (cosine|Multi-Krum score) .*: excluded$/,
    );
  });

  it('excludes no more than the configured number of sites', () => {
    const two = replaced(
      1,
      randomValues(10, DIM).map((v) => v * 1e4),
    ).map((s, j) =>
      j === 3
        ? site(
            s.clientId,
            [...s.delta].map((v) => -v * 5),
            s.examples,
          )
        : s,
    );
    const once = screenWith('robust', two).reports;
    expect(once.filter((r) => r.action === 'excluded')).to.have.length(1);
    const twice = screenWith('robust', two, { byzantine: 2 }).reports;
    expect(twice.filter((r) => r.action === 'excluded').map((r) => r.clientId)).to.have.members([
      'd1',
      'd3',
    ]);
  });
});
