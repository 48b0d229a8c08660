/**
 * `fedflow provision consortium.yaml --out kits/`: one startup kit per party (coordinator,
 * each site, the auditor) from one description of the consortium.
 */
import type { Command } from 'commander';

export interface ProvisionOptions {
  out: string;
}

/**
 * Adds `provision` to `program`.
 * @example registerProvision(program); // fedflow provision consortium.yaml --out kits
 */
export function registerProvision(program: Command): void {
  program
    .command('provision')
    .description(
      'write a startup kit per party (keys, certificates, config, start script, README) from one consortium description (YAML or JSON; docs/federation.md)',
    )
    .argument('<description>', 'the consortium description (.yaml, .yml or .json)')
    .requiredOption('--out <dir>', 'a new or empty folder for the kits')
    .action(async (description: string, options: ProvisionOptions) =>
      (await import('../actions/provision.js')).provision(description, options),
    );
}
