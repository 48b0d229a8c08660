/** The start script and README of each startup kit: what its party copies, keeps and runs. */
import type { ConsortiumDescription, SiteDescription } from './description.js';

/**
 * Starts the kit's process from the kit's own folder (its config's paths are relative to it).
 * FEDFLOW names the program where `fedflow` is not on the PATH (e.g. "npx fedflow").
 */
export function startScript(command: string, config: string): string {
  return `#!/bin/sh
# Starts this kit's fedflow ${command}. Extra arguments are passed on.
# Set FEDFLOW to the program when \`fedflow\` is not on the PATH (e.g. FEDFLOW="npx fedflow").
cd "$(dirname "$0")" || exit 1
exec \${FEDFLOW:-fedflow} ${command} --config ${config} "$@"
`;
}

function address(d: ConsortiumDescription): string {
  return `${d.address.host}:${d.address.port}`;
}

function tlsLine(d: ConsortiumDescription): string {
  return d.tls
    ? "Mutual TLS is on: `tls/` holds the consortium CA certificate and this party's certificate and key (mode 0600)."
    : 'TLS is off in this consortium: use it on a trusted network only (docs/tls.md).';
}

export function coordinatorReadme(d: ConsortiumDescription): string {
  return `# ${d.name}: the coordinator's kit

Copy this folder to the coordinator's machine and run \`./start.sh\`. It listens on
${d.listen.host}:${d.listen.port}; the sites dial ${address(d)}.

- \`coordinator.json\`: the settings (paths are relative to this folder; federation settings
  as provisioned, every other setting at its default: docs/federation.md).
- \`keys/coordinator.private.json\`: the coordinator's signing and sealing key (mode 0600).
  It never leaves this machine. \`keys/coordinator.public.json\` is in every site's kit.
- \`allow-list.json\`: the sites allowed to join (${d.sites.map((s) => s.name).join(', ')}), signed
  with the coordinator's key. Change it while the coordinator runs, from this folder:
  \`fedflow admin enrol NAME.public.json --config coordinator.json\`, \`fedflow admin revoke
  NAME --config coordinator.json\`, \`fedflow admin list --config coordinator.json\`. A new
  site's kit comes from \`fedflow provision add-site\` where the kits were made.
- ${tlsLine(d)}
- \`state/\` (created at start): rounds, models and the signed ingress log. The auditor needs
  a copy of it.
`;
}

export function siteReadme(d: ConsortiumDescription, site: SiteDescription): string {
  const data =
    site.files.length > 0
      ? `It trains on ${site.files.map((f) => `\`${f}\``).join(', ')} (${site.format}).`
      : `Set \`data.files\` in \`client.json\` to this site's flow files (${site.format}) first.`;
  return `# ${d.name}: the kit of site ${site.name}

Copy this folder to the site's machine and run \`./start.sh\`: the site joins the coordinator
at ${address(d)}, trains on its own flows and sends only signed, sealed weight deltas and
sketches. ${data} It stops when the federation job is done; \`./start.sh --stay\` keeps it up
to take part in the coordinator's later jobs too (as a service, until SIGTERM).

- \`client.json\`: the settings (paths are relative to this folder).
${ownKeyLines(site, d.tls)}
- \`keys/coordinator.public.json\`: the coordinator's public key, pinned.
- ${tlsLine(d)}
- \`state/\` (created at start): the final model with the shared thresholds, and the signed
  egress log with a copy of every message sent. The auditor needs a copy of it.
`;
}

/** Where the site's private keys are: in this kit, or the site's own, which it adds. */
function ownKeyLines(site: SiteDescription, tls: boolean): string {
  if (!site.own)
    return `- \`keys/${site.name}.private.json\`: this site's key (mode 0600). It never leaves this machine;
  the coordinator and the auditor have \`keys/${site.name}.public.json\`.`;
  const tlsKey = tls ? ` and \`tls/${site.name}.key\` (from \`fedflow certs request\`)` : '';
  return `- No private key: this site keeps its own. Put \`keys/${site.name}.private.json\` (from
  \`fedflow keys\`)${tlsKey} into this kit before starting; \`keys/${site.name}.public.json\`${tls ? ` and the certificate \`tls/${site.name}.crt\`, issued for the key in your request,` : ''} are here.`;
}

export function auditorReadme(d: ConsortiumDescription): string {
  const states = ['coordinator', ...d.sites.map((s) => s.name)];
  return `# ${d.name}: the auditor's kit

\`keys/\` holds the public keys of every party (no private key): with them the auditor checks
that every log entry was signed by the party it names, that what each site's egress log says
it sent is what the coordinator's ingress log says it received, and that only sketches,
weight deltas and score histograms left any site, never a flow record.

Put a copy of each party's \`state/\` folder here, named after the party
(${states.map((s) => `\`${s}/\``).join(', ')}), then run in this folder:

    fedflow audit verify

It finds the keys and the logs under this folder by itself and ends with a few sentences per
site: what it sent, that nothing of any other kind left it, and that the coordinator received
each message as sent. It exits non-zero on any finding (docs/auditing.md).
`;
}
