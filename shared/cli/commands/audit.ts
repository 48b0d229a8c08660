/**
 * `fedflow audit verify` and `fedflow audit show`: offline checks of the egress and ingress
 * logs (no network), for auditors. verify exits non-zero on any error finding.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { auditFederation } from '../../audit/audit-run.js';
import { verifyLog } from '../../audit/verify-chain.js';
import { formatTable } from '../../stats/report-table.js';

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('verify and inspect audit logs offline');
  audit
    .command('verify')
    .description(
      'verify hash chains and signatures, cross-check site egress against coordinator ingress, and check every kept payload',
    )
    .argument(
      '<paths...>',
      'a simulate --out directory, or the coordinator and site state directories',
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
    .action(
      (
        paths: string[],
        options: { json?: string; unpinned?: boolean; allowMissingPayloads?: boolean },
      ) => {
        const report = auditFederation(paths, {
          allowUnpinned: options.unpinned,
          allowMissingPayloads: options.allowMissingPayloads,
        });
        const out: string[] = [];
        out.push(`coordinator log: ${report.coordinatorLog ?? '(none)'}`);
        out.push(`site logs: ${report.siteLogs.length}`);
        const kinds = ['sketch', 'delta', 'histogram'];
        out.push(
          formatTable(
            [
              'site',
              'fingerprint',
              ...kinds.map((k) => `${k} msgs`),
              ...kinds.map((k) => `${k} bytes`),
              'payloads checked',
            ],
            report.sites.map((s) => [
              s.site,
              s.fingerprint,
              ...kinds.map((k) => s.messages[k] ?? 0),
              ...kinds.map((k) => s.bytes[k] ?? 0),
              s.plaintextsChecked,
            ]),
          ),
        );
        for (const f of report.findings) {
          out.push(
            `${f.severity.toUpperCase()} ${f.code}: ${f.file}${f.line === null ? '' : `:${f.line}`}${f.seq === null ? '' : ` (seq ${f.seq})`}: ${f.message}`,
          );
        }
        out.push(
          report.errors === 0
            ? `OK: no errors, ${report.warnings} warnings`
            : `FAILED: ${report.errors} errors, ${report.warnings} warnings`,
        );
        process.stdout.write(`${out.join('\n')}\n`);
        if (options.json) writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
        if (report.errors > 0) process.exitCode = 1;
      },
    );
  audit
    .command('show')
    .description('print what a site sent, per round (from its egress log)')
    .argument('<site>', "a site's state directory, or its audit/egress.jsonl")
    .action((site: string) => {
      const file = statSync(site).isDirectory() ? join(site, 'audit', 'egress.jsonl') : site;
      if (!existsSync(file)) throw new Error(`no egress log at ${file}`);
      const { entries, findings } = verifyLog(file);
      const receipts = new Set(
        entries.filter((e) => e.type === 'receipt').map((e) => e.sealedSha256),
      );
      const rows = entries
        .filter((e) => e.outcome === 'sent')
        .map((e) => [
          e.round ?? '-',
          e.type,
          e.bytes,
          e.sealedSha256.slice(0, 16),
          receipts.has(e.sealedSha256) ? 'yes' : 'no',
          e.time,
        ]);
      process.stdout.write(
        `${formatTable(['round', 'kind', 'bytes', 'sealed sha256', 'receipt', 'time'], rows)}\n`,
      );
      for (const f of findings)
        process.stdout.write(
          `${f.severity.toUpperCase()} ${f.code}: line ${f.line ?? '-'}: ${f.message}\n`,
        );
      if (findings.some((f) => f.severity === 'error')) process.exitCode = 1;
    });
}
