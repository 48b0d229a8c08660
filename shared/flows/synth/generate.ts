/**
 * The synthetic flow stream: normal traffic of one organisation profile with attack campaigns
 * interleaved at a requested share, produced lazily and deterministically from a seed.
 */
import { AttackBursts } from './attack-bursts.js';
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
 * `round(flows * attackShare)` of them are attacks, split about equally between the attack
 * kinds; each campaign comes as a burst at its own rate from its few sources (attack-bursts.ts),
 * at a random time of the capture, with normal traffic going on around it.
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
  const uids = new UidSequence(random);
  const meanGapMicros = 1e6 / profile.flowsPerSecond;
  const startMicros = Math.round(settings.startTime * 1e6);
  let normalLeft = settings.flows - settings.attackFlows;
  const attacks = new AttackBursts(
    random,
    profile.attackSurface,
    settings.attackFlows,
    settings.attacks,
    startMicros,
    normalLeft * meanGapMicros,
  );
  let normalMicros = startMicros;
  let clock = startMicros - 1;
  for (let index = 0; index < settings.flows; index++) {
    let flow: SyntheticFlow;
    let micros: number;
    if (normalLeft > 0 && normalMicros <= attacks.nextMicros) {
      flow = drawNormalFlow(random, normal.pick(random));
      micros = normalMicros;
      normalMicros += Math.max(1, Math.round(random.exponential(meanGapMicros)));
      normalLeft--;
    } else {
      ({ flow, micros } = attacks.next());
    }
    // At least 1 µs apart, so timestamps strictly increase as printed.
    clock = Math.max(clock + 1, micros);
    flow.tsMicros = clock;
    flow.uid = uids.next();
    yield flow;
  }
}
