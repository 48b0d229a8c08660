/** `fedflow synth`: write labelled synthetic flows (Zeek conn.log TSV) for a site profile. */
import { type Command, Option } from 'commander';
import {
  ATTACK_KINDS,
  type AttackKind,
  ORGANISATION_PROFILES,
  type OrganisationProfile,
  writeSyntheticConnLog,
} from '../../shared/flows/synth/index.js';

interface SynthCommandOptions {
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

export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description(
      'write seeded synthetic flows of an organisation profile, with labelled injected attacks, as a Zeek conn.log (read with --format zeek)',
    )
    .addOption(
      new Option('--profile <name>', 'organisation profile')
        .choices([...ORGANISATION_PROFILES])
        .default('web'),
    )
    .option('--flows <n>', 'number of flows', Number, 50_000)
    .option('--seed <n>', 'random seed', Number, 1)
    .option('--attack-share <share>', 'share of attack flows (0 = normal traffic only)', Number, 0)
    .option(
      '--attacks <list>',
      `comma-separated attack kinds (${ATTACK_KINDS.join(', ')}); default all`,
    )
    .requiredOption('--out <file>', 'conn.log file to write')
    .action(async (options: SynthCommandOptions) => {
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
      process.stderr.write(
        `wrote ${summary.flows} flows (${options.profile}) to ${options.out}${attacks ? `; attacks: ${attacks}` : ''}\n`,
      );
    });
}
