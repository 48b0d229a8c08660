import { expect } from 'chai';
import {
  type AttackKind,
  generateFlows,
  ORGANISATION_PROFILES,
  type SyntheticFlow,
} from '../../../shared/flows/synth/index.js';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function groupBy<K>(flows: readonly SyntheticFlow[], key: (flow: SyntheticFlow) => K) {
  const groups = new Map<K, SyntheticFlow[]>();
  for (const flow of flows) groups.set(key(flow), [...(groups.get(key(flow)) ?? []), flow]);
  return groups;
}

describe('synthetic attacks', () => {
  for (const profile of ORGANISATION_PROFILES) {
    describe(`in the ${profile} profile`, () => {
      const flows = [...generateFlows({ profile, flows: 40_000, seed: 99, attackShare: 0.2 })];
      const normal = flows.filter((flow) => flow.label === 'normal');
      const of = (kind: AttackKind) => flows.filter((flow) => flow.label === kind);

      it('scans from one source over many ports or hosts, with tiny failed connections', () => {
        const scans = of('scan');

        expect(scans.length).to.be.above(1000);
        for (const flow of scans) {
          expect(flow.proto).to.equal('tcp');
          expect(['S0', 'REJ', 'RSTO']).to.include(flow.connState);
          expect(['S', 'Sr', 'ShR']).to.include(flow.history);
          expect(flow.origBytes ?? 0).to.equal(0);
          expect(flow.respBytes ?? 0).to.equal(0);
          expect(flow.origPkts).to.be.at.most(2);
        }
        // A scanner keeps its source port for a whole campaign.
        const campaigns = groupBy(scans, (flow) => `${flow.origHost}:${flow.origPort}`);
        for (const [, campaign] of campaigns) {
          if (campaign.length < 100) continue;
          const targets = new Set(campaign.map((flow) => `${flow.respHost}:${flow.respPort}`));
          expect(targets.size).to.be.above(50);
        }
      });

      it('floods one target with short, unanswered connections', () => {
        const floods = of('flood');

        expect(floods.length).to.be.above(1000);
        for (const flow of floods) {
          expect(['S0', 'OTH']).to.include(flow.connState);
          expect(flow.respBytes ?? 0).to.equal(0);
          expect(flow.respPkts).to.equal(0);
          expect(flow.duration ?? 0).to.be.below(5);
        }
        const targets = new Set(floods.map((flow) => flow.respHost));
        expect(targets.size).to.be.below(floods.length / 100);
        // Most flood flows carry a burst of packets, unlike a normal failed attempt.
        const bursts = floods.filter((flow) => flow.origPkts >= 2).length;
        expect(bursts / floods.length).to.be.above(0.5);
      });

      it('brute-forces a login service with short, near-identical attempts from one source', () => {
        const attempts = of('bruteforce');

        expect(attempts.length).to.be.above(1000);
        for (const flow of attempts) {
          expect(['ssh', 'ftp', 'rdp']).to.include(flow.service);
          expect(['SF', 'RSTO', 'RSTR']).to.include(flow.connState);
          expect(flow.origBytes).to.be.below(4000);
          expect(flow.duration).to.be.below(20);
        }
        for (const [, campaign] of groupBy(
          attempts,
          (flow) => `${flow.origHost}>${flow.respHost}`,
        )) {
          if (campaign.length < 50) continue;
          const bytes = campaign.map((flow) => flow.origBytes!);
          const spread = (Math.max(...bytes) - Math.min(...bytes)) / median(bytes);
          expect(spread).to.be.below(0.4);
        }
      });

      it('exfiltrates far more than normal flows send, from inside to the internet', () => {
        const leaks = of('exfiltration');

        expect(leaks.length).to.be.above(1000);
        for (const flow of leaks) {
          expect(flow.localOrig).to.equal(true);
          expect(flow.localResp).to.equal(false);
          expect(flow.origBytes).to.be.greaterThan(flow.respBytes!);
        }
        const normalBytes = median(normal.map((flow) => flow.origBytes ?? 0));
        expect(median(leaks.map((flow) => flow.origBytes!))).to.be.above(100 * normalBytes);
        const dnsTunnels = leaks.filter((flow) => flow.service === 'dns');
        expect(dnsTunnels.length).to.be.above(0);
        const normalDns = normal.filter((flow) => flow.service === 'dns' && flow.origBytes);
        const perQuery = (flow: SyntheticFlow) => flow.origBytes! / flow.origPkts;
        expect(median(dnsTunnels.map(perQuery))).to.be.above(2 * median(normalDns.map(perQuery)));
      });

      it('sets most attack rows apart from all normal rows once sizes are binned', () => {
        // Roughly what a density model sees: categorical fields plus half-decade size bins.
        const bin = (value: number | null) =>
          value === null ? '-' : Math.round(2 * Math.log10(value + 1));
        const signature = (flow: SyntheticFlow) =>
          [
            flow.proto,
            flow.service,
            flow.respPort,
            flow.connState,
            flow.history,
            flow.localOrig,
            flow.localResp,
            bin(flow.origBytes),
            bin(flow.respBytes),
            bin(flow.duration),
            bin(flow.origPkts),
            bin(flow.origIpBytes),
            bin(flow.respPkts),
          ].join('|');
        const normalSignatures = new Set(normal.map(signature));

        for (const kind of ['scan', 'flood', 'bruteforce', 'exfiltration'] as const) {
          const rows = of(kind);
          const unseen = rows.filter((flow) => !normalSignatures.has(signature(flow))).length;
          expect(unseen / rows.length, kind).to.be.above(0.5);
          // ...without being one repeated row.
          expect(new Set(rows.map(signature)).size, kind).to.be.above(3);
        }
      });
    });
  }
});
