import { expect } from 'chai';
import type { FitResult } from '../../../coordinator/strategy/strategy.js';
import { expectClose, GLOBAL, SITES, screenWith, site } from './strategy-suite.js';

const norm = (v: ArrayLike<number>) => Math.hypot(...Array.from(v));

describe('norm-bound screening', () => {
  it("clips a delta 100 times longer than the others to 2x the round's median norm, with the numbers", () => {
    const loud = { ...SITES[1]!, delta: SITES[1]!.delta.map((v) => v * 100) };
    const results = [SITES[0]!, loud, ...SITES.slice(2)];
    const { reports, update } = screenWith('norm-bound', results, { normBound: 2 });
    const bound = 2 * norm(SITES[3]!.delta); // d has the median norm of a, b x100, c, d, e
    expect(reports[1]).to.include({ action: 'clipped', weight: 50 / 150 });
    expect(reports[1]!.reason).to.match(
      /^norm 37\.4\d+ clipped to 0\.547\d+ \(2x the round's median 0\.273\d+\)$/,
    );
    expect(reports.filter((r) => r.action === 'kept')).to.have.length(4);
    const clipped = { ...loud, delta: loud.delta.map((v) => (v * bound) / norm(loud.delta)) };
    expectClose(update, screenWith('none', [SITES[0]!, clipped, ...SITES.slice(2)]).update);
  });

  it('keeps deltas under the bound as they are, so it then equals plain averaging', () => {
    expect(screenWith('norm-bound', SITES)).to.deep.equal(screenWith('none', SITES));
  });

  it("bounds a huge delta of two sites by the other site's norm, so one of two cannot raise the bound", () => {
    const huge = { ...SITES[1]!, delta: SITES[1]!.delta.map((v) => v * 1e30) };
    for (const method of ['norm-bound', 'robust'] as const) {
      const { reports, update } = screenWith(method, [SITES[0]!, huge]);
      expect(reports[1]!.action, method).to.equal('clipped');
      expect(reports[0]!.action, method).to.equal('kept');
      expect(norm(update), method).to.be.at.most(2 * norm(SITES[0]!.delta) + 1e-6);
    }
  });

  it('never clips a site alone, having nothing to compare it with', () => {
    const { reports } = screenWith('norm-bound', [SITES[1]!]);
    expect(reports[0]!.action).to.equal('kept');
  });

  it('bounds every non-zero delta to length 0 when most deltas are zero, without NaN', () => {
    const zero = (s: FitResult) => ({ ...s, delta: new Float32Array(GLOBAL.length) });
    const { update, reports } = screenWith(
      'norm-bound',
      [...SITES.slice(0, 3).map(zero), ...SITES.slice(3)],
      { normBound: 2 },
    );
    expect([...update]).to.deep.equal([0, 0, 0, 0]);
    expect(reports[4]!.reason).to.equal("norm 0.15 clipped to 0 (2x the round's median 0)");
  });
});

describe('coordinate-wise median and trimmed mean', () => {
  const honest = SITES.slice(0, 4).map((s) => ({ ...s, examples: 10 }));
  const attacked = [...honest, site('z', [1e4, 1e4, 1e4, 1e4], 10)];
  for (const method of ['median', 'trimmed-mean'] as const) {
    it(`${method} stays within the honest values when one site of 5 sends 1e4s`, () => {
      const { update, reports } = screenWith(method, attacked);
      update.forEach((v, i) => {
        const values = honest.map((s) => s.delta[i]!);
        expect(v).to.be.within(Math.min(...values), Math.max(...values));
      });
      expect(norm(screenWith('none', attacked).update)).to.be.above(1000);
      expect(reports.every((r) => r.action === 'kept' && r.weight === 0.2)).to.equal(true);
    });
  }

  const column = (values: number[], examples: number[]) =>
    values.map((v, k) => site(`s${k}`, [v], examples[k]!));
  it('median takes the value holding half of the examples, or the midpoint at an exact half', () => {
    const median = (values: number[], examples: number[]) =>
      screenWith('median', column(values, examples)).update[0];
    expect(median([3, 1], [1, 1])).to.equal(2);
    expect(median([1, 100], [3, 1])).to.equal(1);
    expect(median([3, 2, 1], [1, 1, 2])).to.equal(1.5);
    expect(median([5, 1, 9], [1, 1, 1])).to.equal(5);
  });

  it('trimmed mean drops the trimmed share of examples from each end, in part at a cut', () => {
    const trimmed = (trimShare: number, examples = [1, 1, 1, 1, 1]) =>
      screenWith('trimmed-mean', column([100, 2, 4, 1, 3], examples), { trimShare }).update[0];
    expect(trimmed(0.2)).to.equal(3);
    expect(trimmed(0.1)).to.equal((0.5 * 1 + 2 + 3 + 4 + 0.5 * 100) / 4);
    expect(trimmed(0, [1, 2, 3, 4, 5])).to.be.closeTo((100 + 4 + 12 + 4 + 15) / 15, 1e-6);
  });
});

describe('update reports', () => {
  it('gives each delta its norm as received and its cosine to the combined update', () => {
    const results = [site('a', [3, 4], 1), site('b', [0, 5], 1), site('c', [-4, 3], 2)];
    const { reports, update } = screenWith('none', results);
    expectClose(update, [-1.25, 3.75]); // ([3, 4] + [0, 5] + 2 [-4, 3]) / 4
    expect(reports.map((r) => r.norm)).to.deep.equal([5, 5, 5]);
    const cosine = (x: number, y: number) => (x * -1.25 + y * 3.75) / (5 * Math.hypot(1.25, 3.75));
    expectClose(
      reports.map((r) => r.cosine),
      [cosine(3, 4), cosine(0, 5), cosine(-4, 3)],
    );
  });
});

describe('norm-bound in front of Multi-Krum', () => {
  it('clips a x100 delta where Multi-Krum cannot exclude anything (4 sites)', () => {
    const four = SITES.slice(0, 4);
    const loud = { ...four[1]!, delta: four[1]!.delta.map((v) => v * 100) };
    const { reports } = screenWith('norm-bound+multi-krum', [four[0]!, loud, ...four.slice(2)]);
    expect(reports[1]!.action).to.equal('clipped');
    expect(reports[1]!.reason).to.match(
      /^norm .* clipped to .*1\.5x the round's median.*; Multi-Krum tolerates f=0/,
    );
    expect(
      norm(screenWith('norm-bound+multi-krum', [four[0]!, loud, ...four.slice(2)]).update),
    ).to.be.below(norm(screenWith('none', [four[0]!, loud, ...four.slice(2)]).update) / 10);
  });

  it('excludes a sign-flipped delta of 5 as Multi-Krum alone does, saying why', () => {
    const flipped = { ...SITES[2]!, delta: SITES[2]!.delta.map((v) => -v * 3) };
    const results = [...SITES.slice(0, 2), flipped, ...SITES.slice(3)];
    const { reports } = screenWith('norm-bound+multi-krum', results);
    expect(reports[2]!.action).to.equal('excluded');
    expect(reports[2]!.reason).to.match(/Multi-Krum score .*: excluded/);
    expect(reports.filter((r) => r.action === 'excluded')).to.have.length(1);
  });
});

describe('the cap on example weight', () => {
  it('gives a site that claims 10^8 examples at most the configured multiple of the median site, under every method', () => {
    // Claimed: a 30, b 50, c 20, d 40, e 10^8; the median is 40, so e counts 3 x 40.
    const inflated = { ...SITES[4]!, examples: 1e8 };
    const results = [...SITES.slice(0, 4), inflated];
    for (const method of ['none', 'norm-bound', 'robust', 'trimmed-mean'] as const) {
      const capped = screenWith(method, results, { maxWeightRatio: 3 });
      const asIf = screenWith(method, [...SITES.slice(0, 4), { ...inflated, examples: 120 }], {
        maxWeightRatio: 0,
      });
      expectClose(capped.update, asIf.update);
      expect(
        capped.reports.map((r) => r.weight),
        method,
      ).to.deep.equal(asIf.reports.map((r) => r.weight));
      if (method === 'none') expect(capped.reports[4]!.weight).to.be.closeTo(120 / 260, 1e-12);
    }
    const uncapped = screenWith('none', results, { maxWeightRatio: 0 });
    expect(uncapped.reports[4]!.weight).to.be.greaterThan(0.999);
  });

  it('leaves honest sites within the multiple exactly as claimed', () => {
    expect(screenWith('robust', SITES, { maxWeightRatio: 2 })).to.deep.equal(
      screenWith('robust', SITES, { maxWeightRatio: 0 }),
    );
  });

  it('cannot be raised by one of two sites: the lower median is the honest one', () => {
    const { reports } = screenWith('none', [SITES[0]!, { ...SITES[1]!, examples: 1e9 }], {
      maxWeightRatio: 2,
    });
    expect(reports[1]!.weight).to.be.closeTo(60 / 90, 1e-12);
  });
});
