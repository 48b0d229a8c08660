/**
 * `fedflow provision consortium.yaml --out kits/`: one startup kit per party (coordinator,
 * each site, the auditor) from one description of the consortium.
 */
import type { Command } from 'commander';

export interface ProvisionOptions {
  out?: string;
}

export interface AddSiteOptions {
  kits: string;
  files?: string[];
  format: string;
  publicKey?: string;
  csr?: string;
}

/**
 * Adds `provision` to `program`.
 * @example registerProvision(program); // fedflow provision consortium.yaml --out kits
 */
export function registerProvision(program: Command): void {
  const provision = program
    .command('provision')
    .description(
      'write a startup kit per party (keys, certificates, config, start script, README) from one consortium description (YAML or JSON; docs/federation.md)',
    )
    .argument('<description>', 'the consortium description (.yaml, .yml or .json)')
    .option('--out <dir>', 'a new or empty folder for the kits (required)')
    .action(async (description: string, options: ProvisionOptions) =>
      (await import('../actions/provision.js')).provision(description, options),
    );
  provision
    .command('add-site')
    .description(
      'a kit for one more site of a provisioned consortium (then, on the coordinator: fedflow admin enrol)',
    )
    .argument('<name>', "the site's name")
    .requiredOption(
      '--kits <dir>',
      'the folder fedflow provision wrote (with ca/ and consortium.json)',
    )
    .option('--files <files...>', "the site's flow files, as on its machine")
    .option('--format <format>', 'their flow format', 'zeek')
    .option(
      '--public-key <file>',
      'a site that keeps its own keys: its NAME.public.json (fedflow keys)',
    )
    .option('--csr <file>', 'and its certificate request (fedflow certs request)')
    .action(async (name: string, options: AddSiteOptions) =>
      (await import('../actions/provision.js')).addSite(name, options),
    );
}
