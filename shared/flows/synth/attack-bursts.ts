/**
 * When attacks happen: as real scans and floods do, each campaign sends its connections in one
 * burst from its few sources, at its own rate, while normal traffic goes on around it. Per-host
 * traffic features (connections, ports, hosts per minute) can only be tested on data shaped so.
 */
import { type Campaign, startCampaign } from './attacks.js';
import type { AttackKind, SyntheticFlow } from './flow.js';
import type { AttackSurface } from './profiles.js';
import type { SeededRandom } from './random.js';

/** Mean time between two connections of a burst, in seconds. */
const BURST_GAP_SECONDS: Record<AttackKind, number> = {
  // nmap's default timing probes about a hundred ports a second.
  scan: 0.01,
  flood: 0.002,
  // Login attempts wait for the server's answer and its delay after a failure.
  bruteforce: 0.5,
  exfiltration: 4,
};

/**
 * A kind's share of a capture is split into at most this many bursts (a campaign is cut short
 * when the share runs out): one, as a real capture of a few minutes holds one scan, not three
 * short ones whose first probes look like stray failed connections.
 */
const BURSTS_PER_KIND = 1;

interface Burst {
  readonly kind: AttackKind;
  readonly campaign: Campaign;
  left: number;
  nextMicros: number;
  readonly gapMicros: number;
}

/** The attack bursts of a capture, interleaved with its normal traffic by time. */
export class AttackBursts {
  private readonly bursts: Burst[] = [];

  /**
   * Plans `attackFlows` attack connections, split evenly between `kinds`, in bursts starting at
   * random times in [startMicros, startMicros + spanMicros).
   */
  constructor(
    private readonly random: SeededRandom,
    surface: AttackSurface,
    attackFlows: number,
    kinds: readonly AttackKind[],
    startMicros: number,
    spanMicros: number,
  ) {
    kinds.forEach((kind, k) => {
      const share =
        Math.floor(attackFlows / kinds.length) + (k < attackFlows % kinds.length ? 1 : 0);
      const largest = Math.max(1, Math.ceil(share / BURSTS_PER_KIND));
      for (let left = share; left > 0; ) {
        const campaign = startCampaign(kind, random, surface);
        const size = Math.min(left, campaign.remaining, largest);
        const nextMicros = startMicros + Math.floor(random.next() * spanMicros);
        const gapMicros = BURST_GAP_SECONDS[kind] * 1e6;
        this.bursts.push({ kind, campaign, left: size, nextMicros, gapMicros });
        left -= size;
      }
    });
  }

  /** When the next attack connection starts (Infinity when none is left). */
  get nextMicros(): number {
    let next = Number.POSITIVE_INFINITY;
    for (const burst of this.bursts) next = Math.min(next, burst.nextMicros);
    return next;
  }

  /** The next attack connection in time, and when it starts. */
  next(): { flow: SyntheticFlow; micros: number } {
    let at = 0;
    for (let i = 1; i < this.bursts.length; i++)
      if (this.bursts[i]!.nextMicros < this.bursts[at]!.nextMicros) at = i;
    const burst = this.bursts[at]!;
    const micros = burst.nextMicros;
    const flow = burst.campaign.next();
    burst.left--;
    if (burst.left === 0) this.bursts.splice(at, 1);
    else burst.nextMicros += Math.max(1, Math.round(this.random.exponential(burst.gapMicros)));
    return { flow, micros };
  }
}
