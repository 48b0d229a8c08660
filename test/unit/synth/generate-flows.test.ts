import { expect } from 'chai';
import {
  type AttackKind,
  generateFlows,
  type OrganisationProfile,
  type SyntheticFlow,
  type SynthOptions,
} from '../../../shared/flows/synth/index.js';

function flowsOf(options: SynthOptions): SyntheticFlow[] {
  return [...generateFlows(options)];
}

function serviceShares(flows: readonly SyntheticFlow[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const flow of flows) {
    const key = flow.service ?? '-';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return new Map([...counts].map(([key, count]) => [key, count / flows.length]));
}

describe('generateFlows', () => {
  it('yields the same records for the same options', () => {
    const options: SynthOptions = { profile: 'mail-dns', flows: 3000, seed: 17, attackShare: 0.1 };

    expect(flowsOf(options)).to.deep.equal(flowsOf(options));
  });

  it('yields exactly the requested number of flows', () => {
    for (const flows of [0, 1, 2345]) {
      expect(flowsOf({ profile: 'web', flows, seed: 1, attackShare: 0.3 })).to.have.length(flows);
    }
  });

  it('labels every flow normal when no attack share is requested', () => {
    const labels = new Set(
      flowsOf({ profile: 'internal', flows: 5000, seed: 2 }).map((f) => f.label),
    );

    expect([...labels]).to.deep.equal(['normal']);
  });

  it('mixes in the requested attack share, split about evenly between the kinds', () => {
    const flows = flowsOf({ profile: 'web', flows: 40_000, seed: 3, attackShare: 0.1 });

    const attacks = flows.filter((flow) => flow.label !== 'normal');
    expect(attacks).to.have.length(4000);
    for (const kind of ['scan', 'flood', 'bruteforce', 'exfiltration'] as const) {
      const share = attacks.filter((flow) => flow.label === kind).length / attacks.length;
      expect(share, kind).to.be.within(0.2, 0.3);
    }
  });

  it('interleaves attacks with normal traffic instead of appending them', () => {
    const flows = flowsOf({ profile: 'web', flows: 10_000, seed: 4, attackShare: 0.05 });

    const positions = flows.flatMap((flow, index) => (flow.label === 'normal' ? [] : [index]));
    expect(positions[0]).to.be.below(1000);
    expect(positions.at(-1)).to.be.above(9000);
  });

  it('sends each scan and flood campaign as a burst from few sources, as real tools do', () => {
    const flows = flowsOf({ profile: 'web', flows: 20_000, seed: 4, attackShare: 0.05 });
    const span = (flows.at(-1)!.tsMicros - flows[0]!.tsMicros) / 1e6;

    for (const kind of ['scan', 'flood'] as const) {
      const attacks = flows.filter((f) => f.label === kind);
      const gaps = attacks.slice(1).map((f, i) => (f.tsMicros - attacks[i]!.tsMicros) / 1e6);
      const median = gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)]!;
      expect(new Set(attacks.map((f) => f.origHost)).size, kind).to.be.below(12);
      // Spread evenly, the median gap would be span / count (about 1.5 s); in bursts it is ms.
      expect(median, kind).to.be.below(0.05);
      expect(span / attacks.length, kind).to.be.above(1);
    }
  });

  it('uses only the requested attack kinds', () => {
    const kinds: AttackKind[] = ['scan', 'exfiltration'];
    const flows = flowsOf({
      profile: 'internal',
      flows: 5000,
      seed: 5,
      attackShare: 0.2,
      attacks: kinds,
    });

    const labels = new Set(flows.map((flow) => flow.label));
    expect([...labels].sort()).to.deep.equal(['exfiltration', 'normal', 'scan']);
  });

  it('is lazy, so a huge request costs nothing until it is consumed', () => {
    const flows = generateFlows({ profile: 'web', flows: 1_000_000_000, seed: 6 });

    const firstFew: SyntheticFlow[] = [];
    for (const flow of flows) {
      firstFew.push(flow);
      if (firstFew.length === 5) break;
    }

    expect(firstFew).to.have.length(5);
  });

  it('gives each profile its own service mix, with some DNS everywhere', () => {
    const mix = (profile: OrganisationProfile) =>
      serviceShares(flowsOf({ profile, flows: 20_000, seed: 7 }));
    const web = mix('web');
    const mail = mix('mail-dns');
    const internal = mix('internal');
    const share = (shares: Map<string, number>, ...services: string[]) =>
      services.reduce((sum, service) => sum + (shares.get(service) ?? 0), 0);

    for (const shares of [web, mail, internal]) expect(share(shares, 'dns')).to.be.above(0.05);
    expect(share(web, 'ssl', 'http')).to.be.above(0.6);
    expect(share(mail, 'ssl', 'http')).to.be.below(0.2);
    expect(share(internal, 'ssl', 'http')).to.be.below(0.2);
    expect(share(mail, 'dns', 'smtp', 'imap', 'pop3')).to.be.above(0.6);
    expect(share(web, 'smtp')).to.equal(0);
    expect(share(internal, 'smb', 'ldap', 'krb', 'krb_tcp', 'rdp', 'dce_rpc')).to.be.above(0.4);
    expect(share(web, 'smb', 'ldap', 'krb', 'rdp')).to.equal(0);
  });

  it('draws heavy-tailed sizes that are mostly successful connections', () => {
    const flows = flowsOf({ profile: 'web', flows: 20_000, seed: 8 });

    const sf = flows.filter((flow) => flow.connState === 'SF').length / flows.length;
    expect(sf).to.be.within(0.9, 0.99);
    const states = new Set(flows.map((flow) => flow.connState));
    for (const state of ['S0', 'REJ', 'RSTO'])
      expect(states.has(state as never), state).to.equal(true);
    const resp = flows
      .filter((flow) => flow.service === 'ssl' && flow.respBytes !== null)
      .map((flow) => flow.respBytes!)
      .sort((a, b) => a - b);
    const quantile = (q: number) => resp[Math.floor(q * (resp.length - 1))]!;
    // Log-normal: the 99th percentile sits far above the median.
    expect(quantile(0.99) / quantile(0.5)).to.be.above(20);
  });

  it('rejects options it cannot honour, naming the option', () => {
    const base: SynthOptions = { profile: 'web', flows: 10, seed: 1 };
    const attempts: [Partial<SynthOptions> & Record<string, unknown>, RegExp][] = [
      [{ profile: 'bank' as OrganisationProfile }, /unknown profile 'bank'/],
      [{ flows: -1 }, /flows must be/],
      [{ flows: 1.5 }, /flows must be/],
      [{ seed: 0.5 }, /seed must be/],
      [{ attackShare: 1.5 }, /attackShare must be/],
      [{ attackShare: 0.1, attacks: [] }, /at least one attack kind/],
      [{ attacks: ['ddos' as AttackKind] }, /unknown attack kind 'ddos'/],
      [{ startTime: -5 }, /startTime must be/],
    ];
    for (const [change, message] of attempts) {
      expect(() => flowsOf({ ...base, ...change })).to.throw(message);
    }
  });
});
