/**
 * The synthetic flow stream: normal traffic of one organisation profile with attack campaigns
 * interleaved at a requested share, produced lazily and deterministically from a seed.
 */
import { AttackCampaigns } from './attacks.js';
import {
  ATTACK_KINDS,
  type AttackKind,
  ORGANISATION_PROFILES,
  type OrganisationProfile,
  type SyntheticFlow,
} from './flow.js';
import { siteProfile } from './profiles.js';
import { SeededRandom, WeightedChoice } from './random.js';
import { drawNormalFlow, type TrafficClass } from './traffic-class.js';
import { MAX_UIDS, UidSequence } from './uid.js';

export interface SynthOptions {
  profile: OrganisationProfile;
  /** How many connections to produce. */
  flows: number;
  seed: number;
  /** Share of connections that are attacks, in [0, 1]; default 0. */
  attackShare?: number;
  /** Which attacks to mix in; default all of them when `attackShare` > 0. */
  attacks?: AttackKind[];
  /** Epoch seconds of the first connection; default a fixed instant, so output is repeatable. */
  startTime?: number;
}

/** 2023-11-14T22:13:20Z: a fixed default so that no run depends on the clock. */
export const DEFAULT_START_TIME = 1_700_000_000;

/** Options after validation, with defaults filled in. */
export interface ResolvedSynthOptions {
  readonly profile: OrganisationProfile;
  readonly flows: number;
  readonly seed: number;
  readonly attackFlows: number;
  readonly attacks: readonly AttackKind[];
  readonly startTime: number;
}

/** Checks options and fills in defaults; throws an Error naming the offending option. */
export function resolveSynthOptions(options: SynthOptions): ResolvedSynthOptions {
  const { profile, flows, seed, attackShare = 0, startTime = DEFAULT_START_TIME } = options;
  if (!ORGANISATION_PROFILES.includes(profile))
    throw new Error(
      `unknown profile '${profile}': expected one of ${ORGANISATION_PROFILES.join(', ')}`,
    );
  if (!Number.isSafeInteger(flows) || flows < 0 || flows > MAX_UIDS)
    throw new Error(`flows must be an integer in [0, ${MAX_UIDS}], got ${flows}`);
  if (!Number.isSafeInteger(seed)) throw new Error(`seed must be a safe integer, got ${seed}`);
  if (!(attackShare >= 0 && attackShare <= 1))
    throw new Error(`attackShare must be in [0, 1], got ${attackShare}`);
  if (!(Number.isFinite(startTime) && startTime >= 0))
    throw new Error(`startTime must be non-negative epoch seconds, got ${startTime}`);
  const attacks = [...new Set(options.attacks ?? ATTACK_KINDS)];
  const unknown = attacks.filter((kind) => !ATTACK_KINDS.includes(kind));
  if (unknown.length > 0)
    throw new Error(
      `unknown attack kind '${unknown[0]}': expected one of ${ATTACK_KINDS.join(', ')}`,
    );
  if (attackShare > 0 && attacks.length === 0)
    throw new Error('attackShare > 0 needs at least one attack kind');
  return {
    profile,
    flows,
    seed,
    attackFlows: Math.round(flows * attackShare),
    attacks,
    startTime,
  };
}

/**
 * Yields `options.flows` connections in increasing time order, each a fresh record. Exactly
 * `round(flows * attackShare)` of them are attacks, spread at random through the stream; the
 * attack kinds share them about equally.
 *
 * @example
 * for (const flow of generateFlows({ profile: 'web', flows: 1000, seed: 7, attackShare: 0.05 }))
 *   if (flow.label !== 'normal') console.log(flow.label, flow.respPort);
 */
export function* generateFlows(options: SynthOptions): Generator<SyntheticFlow, void, undefined> {
  const settings = resolveSynthOptions(options);
  const random = new SeededRandom(settings.seed);
  const profile = siteProfile(settings.profile);
  const normal = new WeightedChoice<TrafficClass>(profile.traffic.map((cls) => [cls, cls.weight]));
  const campaigns = new AttackCampaigns(random, profile.attackSurface);
  const uids = new UidSequence(random);
  const meanGapMicros = 1e6 / profile.flowsPerSecond;
  let clock = Math.round(settings.startTime * 1e6);
  let attacksLeft = settings.attackFlows;
  for (let index = 0; index < settings.flows; index++) {
    // Selection sampling: each position is an attack with probability attacksLeft/positionsLeft,
    // which places exactly attackFlows attacks uniformly at random.
    const isAttack = random.next() * (settings.flows - index) < attacksLeft;
    let flow: SyntheticFlow;
    if (isAttack) {
      attacksLeft--;
      flow = campaigns.next(random.pick(settings.attacks));
    } else {
      flow = drawNormalFlow(random, normal.pick(random));
    }
    flow.tsMicros = clock;
    flow.uid = uids.next();
    // At least 1 µs apart, so timestamps strictly increase as printed.
    clock += Math.max(1, Math.round(random.exponential(meanGapMicros)));
    yield flow;
  }
}
