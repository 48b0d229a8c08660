import { expect } from 'chai';
import type { EvasionRow } from '../../../bench/evasion/evasion-row.js';
import { CAPS, ruleFor, zeekEdits, zeekLayout } from '../../../bench/evasion/zeek-edits.js';
import { ZEEK_CONN_FIELDS } from '../../../shared/flows/builtin-schemas.js';
import { bytesPerPacketCategory } from '../../../shared/flows/traffic-features.js';
import { reachable } from '../../helpers/evasion-reach.js';

const NAMES = [
  ...ZEEK_CONN_FIELDS.map((f) => f.name),
  'src_same_endpoint_share',
  'dst_same_port_share',
  'orig_bytes_per_pkt',
];
const layout = zeekLayout(NAMES);
const at = (name: string) => NAMES.indexOf(name);

/** proto service state history port lo lr duration ob rb missed op oip rp rip | shares | bpp */
function flow(
  label: string,
  v: (string | number)[],
  shares = new Map<string, { srcSameEndpoint: number; dstSamePort: number }>(),
): EvasionRow {
  return {
    values: [...v, 0.5, 0.25, bytesPerPacketCategory(v[12], v[11])],
    label,
    portShares: shares,
  };
}
const SYN_ONLY = flow(
  'C&C',
  ['tcp', '-', 'S0', 'S', '50', '-', '-', 0, 0, 0, 0, 1, 60, 0, 0],
  new Map([
    ['80', { srcSameEndpoint: 0, dstSamePort: 0.1 }],
    ['443', { srcSameEndpoint: 0.2, dstSamePort: 0.3 }],
  ]),
);
const DOWNLOAD = flow('FileDownload', [
  'tcp',
  'http',
  'SF',
  'ShADadttFf',
  '80',
  '-',
  '-',
  2.5,
  300,
  90_000,
  0,
  8,
  620,
  66,
  92_640,
]);
const EXPLOIT = flow('Attack', [
  'tcp',
  'http',
  'SF',
  'ShADadfF',
  '80',
  '-',
  '-',
  0.4,
  500,
  200,
  0,
  5,
  700,
  4,
  360,
]);
const UDP = flow('C&C', ['udp', 'dns', 'SF', 'Dd', '5353', '-', '-', 0, 40, 120, 0, 1, 68, 1, 148]);

const n = (r: EvasionRow, name: string) => r.values[at(name)] as number;
const editsOf = (r: EvasionRow) =>
  zeekEdits(layout, ruleFor(r.label), String(r.values[at('proto')]));

describe('Zeek conn.log evasion edits', () => {
  for (const original of [SYN_ONLY, DOWNLOAD, EXPLOIT, UDP]) {
    const label = `${original.label} ${original.values[at('conn_state')]} ${original.values[at('proto')]}`;
    it(`moves a ${label} flow only the way its attacker can, consistently, within the caps`, () => {
      const seen = reachable(original, editsOf(original), 3);
      expect(seen.length).to.be.greaterThan(0);
      for (const r of seen) {
        for (const dir of ['orig', 'resp']) {
          const bytes = n(r, `${dir}_bytes`);
          expect(bytes).to.be.at.least(n(original, `${dir}_bytes`));
          expect(bytes).to.be.at.most(
            Math.max(n(original, `${dir}_bytes`), CAPS.bytes * n(original, `${dir}_bytes`)),
          );
          expect(n(r, `${dir}_ip_bytes`)).to.be.at.least(bytes + 20 * n(r, `${dir}_pkts`));
          if (n(original, `${dir}_pkts`) >= 1) expect(n(r, `${dir}_pkts`)).to.be.at.least(1);
          expect(n(r, `${dir}_pkts`)).to.be.at.most(
            CAPS.packets * Math.max(1, n(original, `${dir}_pkts`)),
          );
          // No packet carries more than an Ethernet MSS of payload.
          expect(bytes).to.be.at.most(1460 * n(r, `${dir}_pkts`));
        }
        expect(n(r, 'duration')).to.be.at.least(n(original, 'duration'));
        expect(n(r, 'duration')).to.be.at.most(
          Math.max(10, CAPS.duration * n(original, 'duration')),
        );
        for (const fixed of ['proto', 'service', 'conn_state', 'history', 'missed_bytes'])
          expect(r.values[at(fixed)]).to.equal(original.values[at(fixed)]);
        expect(r.values[at('orig_bytes_per_pkt')]).to.equal(
          bytesPerPacketCategory(n(r, 'orig_ip_bytes'), n(r, 'orig_pkts')),
        );
      }
    });
  }

  it('never adds payload to an unanswered SYN, and times its retries at least a second apart', () => {
    for (const r of reachable(SYN_ONLY, editsOf(SYN_ONLY), 3)) {
      expect(n(r, 'orig_bytes')).to.equal(0);
      expect(n(r, 'resp_pkts')).to.equal(0);
      expect(n(r, 'duration')).to.be.at.least(n(r, 'orig_pkts') - 1);
      expect(n(r, 'orig_ip_bytes')).to.equal(60 * n(r, 'orig_pkts'));
    }
  });

  it('retries an unanswered SYN no longer than the duration cap allows', () => {
    const retried = flow('C&C', [
      'tcp',
      '-',
      'S0',
      'S',
      '50',
      '-',
      '-',
      2.1,
      0,
      0,
      0,
      3,
      180,
      0,
      0,
    ]);
    const seen = reachable(retried, editsOf(retried), 4);
    expect(Math.max(...seen.map((r) => n(r, 'orig_pkts')))).to.be.greaterThan(3);
    for (const r of seen) expect(n(r, 'duration')).to.be.at.most(21);
  });

  it('moves the port only where the attack leaves it free, with the derived shares of the new port', () => {
    const moved = reachable(SYN_ONLY, editsOf(SYN_ONLY), 1).filter(
      (r) => r.values[at('id.resp_p')] !== '50',
    );
    expect(moved.map((r) => r.values[at('id.resp_p')]).sort()).to.deep.equal(['443', '80']);
    const to443 = moved.find((r) => r.values[at('id.resp_p')] === '443')!;
    expect(to443.values[at('src_same_endpoint_share')]).to.equal(0.2);
    expect(to443.values[at('dst_same_port_share')]).to.equal(0.3);
    for (const r of reachable(EXPLOIT, editsOf(EXPLOIT), 2))
      expect(r.values[at('id.resp_p')]).to.equal('80');
  });

  it('edits the responder side only when the attacker runs the responder', () => {
    for (const r of reachable(EXPLOIT, editsOf(EXPLOIT), 2)) {
      for (const field of ['resp_bytes', 'resp_pkts', 'resp_ip_bytes'])
        expect(r.values[at(field)]).to.equal(EXPLOIT.values[at(field)]);
    }
    const padded = reachable(DOWNLOAD, editsOf(DOWNLOAD), 1).some(
      (r) => n(r, 'resp_bytes') > 90_000,
    );
    expect(padded).to.equal(true);
  });
});
