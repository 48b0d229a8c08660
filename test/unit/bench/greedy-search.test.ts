import { expect } from 'chai';
import { type Edit, greedyEvasion, type Scorer } from '../../../bench/evasion/greedy-search.js';

/** A flow is one number; the fake model scores it by its distance from 7. */
const scorer = (threshold: number): Scorer<number> & { calls: number } => {
  const fake = {
    threshold,
    calls: 0,
    score(rows: readonly number[]) {
      fake.calls++;
      return rows.map((x) => Math.abs(x - 7));
    },
  };
  return fake;
};
/** Only upward moves, as an attacker's edits are. */
const up = (step: number): Edit<number> => ({ name: `+${step}`, apply: (x) => x + step });
const edits = [up(1), up(3)];

describe('greedy evasion search', () => {
  it('takes the edit that lowers the score most and stops at the known minimum', () => {
    const [result] = greedyEvasion([0], () => edits, scorer(-1), 10);
    // 0 -> 3 -> 6 -> 7: the best edit each step, then stuck at the minimum (score 0).
    expect(result!.row).to.equal(7);
    expect(result!.path).to.deep.equal(['+3', '+3', '+1']);
    expect(result!.after).to.equal(0);
    expect(result!.evaded).to.equal(false);
  });

  it('stops as soon as the score is at or below the threshold', () => {
    const [result] = greedyEvasion([0], () => edits, scorer(4), 10);
    expect(result!.row).to.equal(3);
    expect(result!.edits).to.equal(1);
    expect(result!.evaded).to.equal(true);
  });

  it('spends no more edits than the budget', () => {
    const [result] = greedyEvasion([-20], () => edits, scorer(0.5), 2);
    expect(result!.edits).to.equal(2);
    expect(result!.row).to.equal(-14);
    expect(result!.evaded).to.equal(false);
  });

  it('leaves flows that were not alerts alone and scores each step of all flows in one batch', () => {
    const fake = scorer(2);
    const results = greedyEvasion([7, 0, 1], () => edits, fake, 10);
    expect(results[0]!.alertedBefore).to.equal(false);
    expect(results[0]!.edits).to.equal(0);
    expect(results.slice(1).every((r) => r.evaded)).to.equal(true);
    // One call for the scores before, then one per step (two steps: 0 -> 3 -> 6, 1 -> 4 -> 7).
    expect(fake.calls).to.equal(3);
  });

  it('stops when no allowed edit lowers the score', () => {
    const [result] = greedyEvasion([10], () => edits, scorer(1), 10);
    expect(result!.edits).to.equal(0);
    expect(result!.after).to.equal(3);
  });

  it('offers an edit only where it applies (null is not a candidate)', () => {
    const capped: Edit<number> = {
      name: 'capped',
      apply: (x, original) => (x + 1 <= original + 2 ? x + 1 : null),
    };
    const [result] = greedyEvasion([0], () => [capped], scorer(-1), 10);
    expect(result!.row).to.equal(2);
  });
});
