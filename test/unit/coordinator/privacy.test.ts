import { expect } from 'chai';
import {
  gdpDelta,
  gdpEpsilon,
  privacyLoad,
  privacySpent,
  rdpEpsilon,
  roundsWithin,
} from '../../../coordinator/privacy/gaussian-accountant.js';
import { gaussianFrom, secureGaussian } from '../../../coordinator/strategy/gaussian-noise.js';
import { gaussianMechanism } from '../../../coordinator/strategy/screening/gaussian-mechanism.js';
import { createStrategy } from '../../../coordinator/strategy/strategy-factory.js';
import { DEFAULT_STRATEGY } from '../../../coordinator/strategy/strategy-settings.js';
import { seededUniform } from '../../../shared/codec/stochastic-rounding.js';
import { site } from './strategy-suite.js';

describe('the privacy accountant', () => {
  it('gives the published delta of 1-GDP at epsilon 1 (Dong, Roth and Su 2019: 0.1269)', () => {
    expect(gdpDelta(1, 1)).to.be.closeTo(0.12694, 1e-5);
  });

  it("needs sigma 3.73 for (1, 1e-5) in one round, as Balle and Wang's analytic Gaussian mechanism does", () => {
    expect(gdpEpsilon(1 / 3.7306, 1e-5)).to.be.closeTo(1, 1e-3);
    // The classical bound sqrt(2 ln(1.25 / delta)) / epsilon = 4.84 is loose: 4.84 spends less.
    expect(gdpEpsilon(1 / 4.84, 1e-5)).to.be.below(0.8);
  });

  it('composes T rounds of sigma like one round of sigma / sqrt(T)', () => {
    expect(privacySpent(2, 16, 1e-5).epsilon).to.be.closeTo(
      privacySpent(0.5, 1, 1e-5).epsilon,
      1e-9,
    );
  });

  it('never reports less than the exact epsilon by RDP, and stays within 15% of it', () => {
    for (const sigma of [0.7, 1, 2, 5, 20])
      for (const rounds of [1, 5, 50]) {
        const { epsilon, rdpEpsilon: rdp } = privacySpent(sigma, rounds, 1e-5);
        expect(rdp, `sigma ${sigma}, ${rounds} rounds`).to.be.at.least(epsilon);
        expect(rdp, `sigma ${sigma}, ${rounds} rounds`).to.be.below(epsilon * 1.15 + 0.05);
      }
  });

  it('spends more with every round and with less noise, and nothing before the first round', () => {
    expect(privacySpent(1, 0, 1e-5).epsilon).to.equal(0);
    expect(rdpEpsilon(1, 0, 1e-5)).to.equal(0);
    const by = [1, 2, 3, 4].map((t) => privacySpent(1.5, t, 1e-5).epsilon);
    expect(by).to.deep.equal([...by].sort((a, b) => a - b));
    expect(privacySpent(3, 4, 1e-5).epsilon).to.be.below(by[3]!);
  });

  it("composes an earlier job's rounds with this job's, whatever the noise of each", () => {
    // Same noise: 3 earlier rounds and 2 now spend what 5 rounds in one job do.
    const five = privacySpent(2, 5, 1e-5);
    const after = privacySpent(2, 2, 1e-5, privacyLoad(2, 3));
    expect(after.epsilon).to.be.closeTo(five.epsilon, 1e-9);
    expect(after.rdpEpsilon).to.be.closeTo(five.rdpEpsilon, 1e-9);
    expect(after.rounds).to.equal(2);
    // Other noise: mu^2 adds up (4 rounds of sigma 2 and 1 of sigma 1 are 2-GDP).
    const mixed = privacySpent(1, 1, 1e-5, privacyLoad(2, 4));
    expect(mixed.epsilon).to.be.closeTo(gdpEpsilon(Math.SQRT2, 1e-5), 1e-9);
    expect(privacySpent(1, 0, 1e-5, privacyLoad(2, 4)).epsilon).to.be.closeTo(
      privacySpent(2, 4, 1e-5).epsilon,
      1e-9,
    );
  });

  it('counts the rounds a budget pays for', () => {
    const sigma = 2;
    const n = roundsWithin(sigma, 1e-5, 4, 100);
    expect(privacySpent(sigma, n, 1e-5).epsilon).to.be.at.most(4);
    expect(privacySpent(sigma, n + 1, 1e-5).epsilon).to.be.above(4);
    expect(roundsWithin(sigma, 1e-5, 0, 100)).to.equal(100);
  });
});

describe('the privacy noise', () => {
  const moments = (draw: () => number, n: number) => {
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const x = draw();
      sum += x;
      squares += x * x;
    }
    return { mean: sum / n, variance: squares / n - (sum / n) ** 2 };
  };

  it('draws standard normal deviates from the CSPRNG, finite and different on every run', () => {
    const { mean, variance } = moments(secureGaussian(), 200_000);
    expect(mean).to.be.closeTo(0, 0.01);
    expect(variance).to.be.closeTo(1, 0.02);
    const a = secureGaussian();
    const b = secureGaussian();
    expect([a(), a(), a()]).to.not.deep.equal([b(), b(), b()]);
  });

  it('repeats a seeded run exactly, for benchmarks', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, gaussianFrom(seededUniform(seed)));
    expect(draw(4)).to.deep.equal(draw(4));
  });
});

describe('the Gaussian mechanism (DP-FedAvg combining)', () => {
  const zeroNoise = () => 0;

  it('clips each delta to the clip norm, weighs sites alike whatever their examples, and says so', () => {
    const mechanism = gaussianMechanism({ clipNorm: 1, noiseMultiplier: 1 }, zeroNoise);
    const { combined, verdicts } = mechanism([site('a', [3, 4], 1000), site('b', [0.3, 0.4], 1)]);
    // a is scaled from norm 5 to 1: (0.6, 0.8); the mean with b's (0.3, 0.4) is (0.45, 0.6).
    expect(combined[0]).to.be.closeTo(0.45, 1e-6);
    expect(combined[1]).to.be.closeTo(0.6, 1e-6);
    expect(verdicts.map((v) => [v.action, v.weight])).to.deep.equal([
      ['clipped', 0.5],
      ['kept', 0.5],
    ]);
    expect(verdicts[0]!.reason).to.equal('norm 5 clipped to the privacy bound 1');
  });

  it('moves the noisy sum by at most the clip norm when one site adds any delta', () => {
    const C = 2;
    const others = [site('a', [0.5, -1, 2], 5), site('b', [1, 1, 1], 7)];
    const attacker = site('x', [1e5, -3e5, 7e4], 1e6);
    const seeded = () => gaussianFrom(seededUniform(9));
    const sum = (results: typeof others) =>
      [...gaussianMechanism({ clipNorm: C, noiseMultiplier: 0.5 }, seeded())(results).combined].map(
        (v) => v * results.length,
      );
    const without = sum(others);
    const withSite = sum([...others, attacker]);
    const moved = Math.hypot(...without.map((v, i) => withSite[i]! - v));
    expect(moved).to.be.at.most(C + 1e-9);
  });

  it('adds noise of standard deviation sigma x C to the sum, divided by the number of sites', () => {
    const d = 20_000;
    const mechanism = gaussianMechanism(
      { clipNorm: 0.5, noiseMultiplier: 3 },
      gaussianFrom(seededUniform(2)),
    );
    const zeros = new Array(d).fill(0);
    const { combined } = mechanism([site('a', zeros, 1), site('b', zeros, 1)]);
    const sd = Math.sqrt(combined.reduce((s, v) => s + v * v, 0) / d);
    expect(sd).to.be.closeTo((3 * 0.5) / 2, 0.02);
  });

  it('is chosen by the privacy settings, named +dp, and refused beside a screening', () => {
    const privacy = { clipNorm: 1, noiseMultiplier: 1 };
    const none = { ...DEFAULT_STRATEGY.screening, method: 'none' as const };
    expect(createStrategy({ ...DEFAULT_STRATEGY, screening: none, privacy }).name).to.equal(
      'fedavg+dp',
    );
    expect(() => createStrategy({ ...DEFAULT_STRATEGY, privacy })).to.throw(
      /strategy.screening.method must be 'none', got 'robust'/,
    );
    expect(() =>
      createStrategy({
        ...DEFAULT_STRATEGY,
        screening: none,
        privacy: { ...privacy, clipNorm: 0 },
      }),
    ).to.throw(/privacy.clipNorm must be > 0, got 0/);
    // Noise multiplier 0 is no privacy: the configured screening runs as before.
    expect(
      createStrategy({ ...DEFAULT_STRATEGY, privacy: { ...privacy, noiseMultiplier: 0 } }).name,
    ).to.equal('fedavg+robust');
  });
});
