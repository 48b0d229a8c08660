/** What `fedflow synth` does (its options: cli/commands/synth.ts). */
import {
  ATTACK_KINDS,
  type AttackKind,
  type OrganisationProfile,
  writeSyntheticConnLog,
} from '../../shared/flows/synth/index.js';
import { processLogger } from '../logging.js';

export interface SynthCommandOptions {
  profile: OrganisationProfile;
  flows: number;
  seed: number;
  attackShare: number;
  attacks?: string;
  out: string;
}

export function parseAttackList(text: string): AttackKind[] {
  const kinds = text.split(',').map((k) => k.trim());
  for (const k of kinds) {
    if (!(ATTACK_KINDS as readonly string[]).includes(k))
      throw new Error(`unknown attack '${k}': expected some of ${ATTACK_KINDS.join(', ')}`);
  }
  return kinds as AttackKind[];
}

export async function writeSynth(options: SynthCommandOptions): Promise<void> {
  if (!Number.isInteger(options.flows) || options.flows <= 0)
    throw new Error(`--flows must be a positive integer, got ${options.flows}`);
  if (!(options.attackShare >= 0 && options.attackShare < 1))
    throw new Error(`--attack-share must be in [0, 1), got ${options.attackShare}`);
  const summary = await writeSyntheticConnLog(options.out, {
    profile: options.profile,
    flows: options.flows,
    seed: options.seed,
    attackShare: options.attackShare,
    ...(options.attacks ? { attacks: parseAttackList(options.attacks) } : {}),
  });
  const attacks = Object.entries(summary.attacks)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  processLogger().info(
    `wrote ${summary.flows} flows (${options.profile}) to ${options.out}${attacks ? `; attacks: ${attacks}` : ''}`,
  );
}
