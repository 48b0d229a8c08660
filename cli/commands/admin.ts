/**
 * `fedflow admin enrol|revoke|list`: the operator changes which sites a coordinator admits,
 * while it runs, by re-signing its allow-list file with the coordinator's key.
 * `fedflow admin job start|list`: the operator requests another federation job the same way.
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
      "change the sites a coordinator admits, or request another federation job, while it runs (files signed with the coordinator's key)",
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
  registerJobs(admin);
}

function registerJobs(admin: Command): void {
  const jobs = admin
    .command('job')
    .description(
      'federation jobs: another training run (fresh traffic, another model kind) on a running coordinator',
    );
  jobs
    .command('start')
    .description(
      "request the next job: the coordinator's settings with these changes; it starts when the jobs before it are done",
    )
    .requiredOption('--config <file>', "the coordinator's config")
    .option('--name <name>', 'what the operator calls it (default: job N)')
    .option('--rounds <n>', 'training rounds (federation.rounds)', Number)
    .option('--model-kind <kind>', 'categorical-vae, alad-gan or gru (model.kind)')
    .option(
      '--set <key=value>',
      'any federation.*, model.*, encoder.*, strategy.*, thresholds.* or privacy.* setting; repeatable',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .action(async (options) => (await import('../actions/admin-jobs.js')).startJob(options));
  jobs
    .command('list')
    .description('print every job: its settings, phase and model version')
    .requiredOption('--config <file>', "the coordinator's config")
    .action(async (options) => (await import('../actions/admin-jobs.js')).listJobs(options));
}
