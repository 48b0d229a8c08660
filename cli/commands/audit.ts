/**
 * `fedflow audit verify` and `fedflow audit show`: offline checks of the egress and ingress
 * logs (no network), for auditors. verify exits non-zero on any error finding.
 */
import type { Command } from 'commander';
import type { ShowOptions, VerifyOptions } from '../actions/audit.js';

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('verify and inspect audit logs offline');
  audit
    .command('verify')
    .description(
      'verify hash chains and signatures, cross-check site egress against coordinator ingress, and check every kept payload',
    )
    .argument(
      '[paths...]',
      "a simulate --out directory, the coordinator's and sites' state directories, or an auditor's kit with them copied in (default: this directory)",
    )
    .option('--json <file>', 'also write the report as JSON')
    .option(
      '--unpinned',
      'accept logs whose signer has no public key file under the paths (warn instead)',
    )
    .option(
      '--allow-missing-payloads',
      'accept sent results without a kept plaintext copy (sites with audit.keepPlaintext off)',
    )
    .option(
      '--partial',
      'audit only the sites whose logs are given: a site that took part but whose log is missing is a warning, not an error',
    )
    .action(async (paths: string[], options: VerifyOptions) =>
      (await import('../actions/audit.js')).verifyAudit(paths, options),
    );
  audit
    .command('report')
    .description(
      'the same checks as verify, written as one self-contained HTML page an auditor can attach to a finding',
    )
    .argument('[paths...]', 'as for verify (default: this directory)')
    .requiredOption('--html <file>', 'the HTML file to write')
    .option('--unpinned', 'as for verify')
    .option('--allow-missing-payloads', 'as for verify')
    .option('--partial', 'as for verify')
    .action(async (paths: string[], options: VerifyOptions & { html: string }) =>
      (await import('../actions/audit.js')).auditReportHtml(paths, options),
    );
  audit
    .command('show')
    .description(
      'print what a site sent per round (its egress log), or what the coordinator received and how its strategy screened each delta (its ingress log)',
    )
    .argument(
      '<log>',
      "a site's or the coordinator's state directory, or an egress.jsonl or ingress.jsonl",
    )
    .option(
      '--key <public-key-file>',
      "the signer's public key (default: the matching *.public.json in the keys/ folder beside the state directory, as in a kit)",
    )
    .option(
      '--decode',
      "a site's log: what each kept copy disclosed (every categorical value and count of a sketch, histogram bins, each delta's shape and norm)",
    )
    .option('--json <file>', 'with --decode: also write every decoded value as JSON')
    .action(async (path: string, options: ShowOptions) =>
      (await import('../actions/audit.js')).showAuditLog(path, options),
    );
}
