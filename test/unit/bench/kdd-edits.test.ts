import { expect } from 'chai';
import type { EvasionRow } from '../../../bench/evasion/evasion-row.js';
import { KDD_CAPS, kddEdits, kddLayout } from '../../../bench/evasion/kdd-edits.js';
import { KDD_FEATURES } from '../../../shared/flows/builtin-schemas.js';
import { reachable } from '../../helpers/evasion-reach.js';

const NAMES = KDD_FEATURES.map((f) => f.name);
const layout = kddLayout(NAMES);
const at = (name: string) => NAMES.indexOf(name);
const edits = kddEdits(layout);

/** A record with the given fields set (numeric fields 0, categoricals as given). */
function record(label: string, set: Record<string, string | number>): EvasionRow {
  const values = KDD_FEATURES.map((f) => set[f.name] ?? (f.kind === 'categorical' ? 'x' : 0));
  return { values, label };
}
const NEPTUNE = record('neptune', {
  protocol_type: 'tcp',
  service: 'private',
  flag: 'S0',
  count: 120,
  srv_count: 10,
  serror_rate: 1,
  srv_serror_rate: 1,
  same_srv_rate: 0.08,
  diff_srv_rate: 0.06,
  dst_host_count: 255,
});
const GUESS = record('guess_passwd', {
  protocol_type: 'tcp',
  service: 'telnet',
  flag: 'RSTO',
  duration: 2,
  src_bytes: 125,
  dst_bytes: 179,
  num_failed_logins: 1,
  count: 1,
  srv_count: 1,
  rerror_rate: 1,
  srv_diff_host_rate: 0,
});

const n = (r: EvasionRow, name: string) => r.values[at(name)] as number;

describe('NSL-KDD evasion edits', () => {
  for (const original of [NEPTUNE, GUESS]) {
    it(`move a ${original.label} record only in the attacker's fields, upward, within the caps`, () => {
      const seen = reachable(original, edits, 3);
      expect(seen.length).to.be.greaterThan(0);
      const edited = new Set(['duration', 'src_bytes', 'count', 'srv_count']);
      const rates = ['serror_rate', 'rerror_rate', 'same_srv_rate', 'diff_srv_rate'];
      const srvRates = ['srv_serror_rate', 'srv_rerror_rate', 'srv_diff_host_rate'];
      for (const r of seen) {
        for (const name of edited) expect(n(r, name)).to.be.at.least(n(original, name));
        expect(n(r, 'src_bytes')).to.be.at.most(
          Math.max(0, KDD_CAPS.bytes * n(original, 'src_bytes')),
        );
        expect(n(r, 'count')).to.be.at.most(511);
        for (const name of [...rates, ...srvRates]) {
          expect(n(r, name)).to.be.within(0, 1);
          if (name !== 'same_srv_rate') expect(n(r, name)).to.be.at.most(n(original, name));
        }
        NAMES.forEach((name, i) => {
          if (!edited.has(name) && !rates.includes(name) && !srvRates.includes(name))
            expect(r.values[i], name).to.equal(original.values[i]);
        });
      }
    });
  }

  it('pads no payload onto, and takes no time over, an unanswered SYN', () => {
    for (const r of reachable(NEPTUNE, edits, 3)) {
      expect(n(r, 'src_bytes')).to.equal(0);
      expect(n(r, 'duration')).to.equal(0);
    }
  });

  it('dilutes the error rates by the decoys it adds', () => {
    const decoys = edits.find((e) => e.name === 'decoys +1x')!;
    const r = decoys.apply(NEPTUNE, NEPTUNE)!;
    expect(n(r, 'count')).to.equal(240);
    expect(n(r, 'serror_rate')).to.equal(0.5);
    expect(n(r, 'srv_count')).to.equal(130);
    expect(n(r, 'srv_serror_rate')).to.equal(0.08);
  });
});
