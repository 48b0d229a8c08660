/**
 * `fedflow admin enrol|revoke|list`: the operator changes which sites a coordinator admits,
 * while it runs, by re-signing its allow-list file with the coordinator's key.
 */
import type { Command } from 'commander';

export interface AdminOptions {
  config: string;
}

/**
 * Adds `admin` to `program`.
 * @example registerAdmin(program); // fedflow admin enrol site-d.public.json --config coordinator.json
 */
export function registerAdmin(program: Command): void {
  const admin = program
    .command('admin')
    .description(
      "change the sites a coordinator admits while it runs (its config's allowListFile, signed with its key)",
    );
  const action =
    (name: 'enrol' | 'revoke' | 'list') =>
    async (...args: unknown[]) => {
      const actions = await import('../actions/admin.js');
      const options = args.at(-2) as AdminOptions;
      if (name === 'list') actions.listSites(options);
      else actions[name](args[0] as string, options);
    };
  admin
    .command('enrol')
    .description('allow a site, by its public key file: it can join from the next round')
    .argument('<public-key-file>', "the site's NAME.public.json")
    .requiredOption('--config <file>', "the coordinator's config")
    .action(action('enrol'));
  admin
    .command('revoke')
    .description('take a site off the allow-list: its session ends and no later round selects it')
    .argument('<site>', "the site's name")
    .requiredOption('--config <file>', "the coordinator's config")
    .action(action('revoke'));
  admin
    .command('list')
    .description('print the sites allowed now, with their fingerprints')
    .requiredOption('--config <file>', "the coordinator's config")
    .action(action('list'));
}
