/**
 * `fedflow certs`: a consortium's TLS material without openssl: the CA (`certs ca`), the
 * coordinator's server certificate (`certs server`), the sites' client certificates for mutual
 * TLS (`certs client`), and what a certificate file holds (`certs show`).
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { CertificateRole } from '../../shared/tls/certificates.js';
import { CA_FILE_NAME } from '../ca-file-name.js';

const DEFAULT_CA_DAYS = 3650;
const DEFAULT_LEAF_DAYS = 365;

/** Where the command prints its results (stdout unless a test captures them). */
export type WriteOutput = (text: string) => void;

const toStdout: WriteOutput = (text) => {
  process.stdout.write(text);
};

export interface CaOptions {
  name: string;
  out: string;
  days: number;
  force?: boolean;
}

export interface RequestOptions {
  name: string;
  out: string;
  force?: boolean;
}

export interface LeafOptions {
  caDir: string;
  name: string;
  out: string;
  days: number;
  dns?: string[];
  ip?: string[];
  force?: boolean;
}

/**
 * Adds `certs ca|server|client|show` to `program`.
 * @example registerCerts(program); // fedflow certs ca --name "acme consortium CA" --out tls/ca
 */
export function registerCerts(program: Command, write: WriteOutput = toStdout): void {
  const certs = program
    .command('certs')
    .description(
      'create TLS certificates for a consortium: a CA, the coordinator’s server certificate, sites’ client certificates (docs/tls.md)',
    );

  certs
    .command('ca')
    .description(
      `create a CA: ${CA_FILE_NAME}.crt (give it to every party) and ${CA_FILE_NAME}.key (mode 0600; keep it with the operator, offline if possible)`,
    )
    .requiredOption('--name <name>', 'the CA’s name (its common name), e.g. "acme consortium CA"')
    .requiredOption('--out <dir>', 'directory to write the files to (created with mode 0700)')
    .option('--days <n>', 'validity in days', positiveInteger, DEFAULT_CA_DAYS)
    .option('--force', 'replace existing files (every certificate it issued stops verifying)')
    .action(async (options: CaOptions) =>
      (await import('../actions/certs.js')).createCaFiles(options, write),
    );

  const leaf = (role: CertificateRole, description: string, example: string) =>
    certs
      .command(role)
      .description(description)
      .requiredOption(
        '--ca-dir <dir>',
        `directory holding ${CA_FILE_NAME}.crt and ${CA_FILE_NAME}.key`,
      )
      .requiredOption('--name <name>', `common name and file name, e.g. ${example}`)
      .requiredOption('--out <dir>', 'directory to write NAME.crt and NAME.key to')
      .option('--days <n>', 'validity in days', positiveInteger, DEFAULT_LEAF_DAYS)
      .option('--force', 'replace existing files');

  leaf(
    'server',
    'issue the coordinator’s certificate: NAME.crt and NAME.key (tls.cert, tls.key on the coordinator)',
    'coordinator',
  )
    .option('--dns <names>', 'host names clients connect to, comma-separated (repeatable)', list)
    .option(
      '--ip <addresses>',
      'IP addresses clients connect to, comma-separated (repeatable)',
      list,
    )
    .action(async (options: LeafOptions) =>
      (await import('../actions/certs.js')).issue('server', options, write),
    );

  leaf(
    'client',
    'issue a site’s certificate for mutual TLS: NAME.crt and NAME.key (tls.cert, tls.key on that site)',
    'site-a',
  ).action(async (options: LeafOptions) =>
    (await import('../actions/certs.js')).issue('client', options, write),
  );

  certs
    .command('request')
    .description(
      'on a site that keeps its own key: NAME.key (mode 0600, stays here) and NAME.csr (send it to whoever provisions: `csr` in the consortium description)',
    )
    .requiredOption('--name <name>', 'the site’s name (the request’s common name)')
    .requiredOption('--out <dir>', 'directory to write NAME.key and NAME.csr to')
    .option('--force', 'replace existing files')
    .action(async (options: RequestOptions) =>
      (await import('../actions/certs.js')).createRequest(options, write),
    );

  certs
    .command('show <file>')
    .description('print subject, issuer, names, usage, validity and fingerprint of a certificate')
    .action(async (file: string) =>
      (await import('../actions/certs.js')).showCertificate(file, write),
    );
}

function list(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== ''),
  ];
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError('expected a positive whole number of days.');
  return n;
}
