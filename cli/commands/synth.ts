/** `fedflow synth`: write labelled synthetic flows (Zeek conn.log TSV) for a site profile. */
import { type Command, Option } from 'commander';
import { ATTACK_KINDS, ORGANISATION_PROFILES } from '../../shared/flows/synth/flow.js';
import type { SynthCommandOptions } from '../actions/synth.js';

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
    .action(async (options: SynthCommandOptions) =>
      (await import('../actions/synth.js')).writeSynth(options),
    );
}
