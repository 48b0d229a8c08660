/**
 * `fedflow certs`: a consortium's TLS material without openssl: the CA (`certs ca`), the
 * coordinator's server certificate (`certs server`), the sites' client certificates for mutual
 * TLS (`certs client`), and what a certificate file holds (`certs show`).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { KeyFilesExistError } from '../../shared/crypto/key-files.js';
import { writeCertificateFiles } from '../../shared/tls/certificate-files.js';
import {
  type CertificateBundle,
  type CertificateRole,
  createCa,
  issueCertificate,
} from '../../shared/tls/certificates.js';
import { extendedKeyUsages, loadTlsFiles } from '../../shared/tls/tls-files.js';

/** File name (without .crt/.key) of the CA that `certs ca` writes and `--ca-dir` reads. */
export const CA_FILE_NAME = 'ca';
const DEFAULT_CA_DAYS = 3650;
const DEFAULT_LEAF_DAYS = 365;

/** Where the command prints its results (stdout unless a test captures them). */
export type WriteOutput = (text: string) => void;

const toStdout: WriteOutput = (text) => {
  process.stdout.write(text);
};

interface CaOptions {
  name: string;
  out: string;
  days: number;
  force?: boolean;
}

interface LeafOptions {
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
    .action(async (options: CaOptions) => {
      const bundle = await createCa(options.name, options.days);
      const paths = writeFiles(options.out, CA_FILE_NAME, bundle, options.force);
      write(
        table([
          ['CA certificate', `${paths.certPath} (every party trusts this one: tls.ca)`],
          ['CA key', `${paths.keyPath} (mode 0600; issues certificates: keep it safe)`],
          ...describe(bundle.certPem),
        ]),
      );
    });

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
    .action((options: LeafOptions) => issue('server', options, write));

  leaf(
    'client',
    'issue a site’s certificate for mutual TLS: NAME.crt and NAME.key (tls.cert, tls.key on that site)',
    'site-a',
  ).action((options: LeafOptions) => issue('client', options, write));

  certs
    .command('show <file>')
    .description('print subject, issuer, names, usage, validity and fingerprint of a certificate')
    .action((file: string) => {
      let pem: string;
      try {
        pem = readFileSync(file, 'utf8');
      } catch (error) {
        throw new Error(`cannot read ${file}: ${(error as Error).message}`);
      }
      write(table([['file', file], ...describe(pem, file)]));
    });
}

async function issue(role: CertificateRole, options: LeafOptions, write: WriteOutput) {
  const ca = loadCa(options.caDir);
  const bundle = await issueCertificate(ca, {
    commonName: options.name,
    dnsNames: options.dns ?? [],
    ipAddresses: options.ip ?? [],
    role,
    validDays: options.days,
  });
  const paths = writeFiles(options.out, options.name, bundle, options.force);
  const who = role === 'server' ? 'the coordinator' : `site ${options.name}`;
  write(
    table([
      ['certificate', `${paths.certPath} (tls.cert of ${who})`],
      ['key', `${paths.keyPath} (mode 0600; tls.key of ${who}, only there)`],
      ...describe(bundle.certPem),
    ]),
  );
}

function loadCa(dir: string): CertificateBundle {
  const certPath = join(dir, `${CA_FILE_NAME}.crt`);
  const keyPath = join(dir, `${CA_FILE_NAME}.key`);
  const missing = [certPath, keyPath].filter((path) => !existsSync(path));
  if (missing.length > 0)
    throw new Error(
      `no CA in ${dir}: ${missing.join(' and ')} missing (fedflow certs ca --name NAME --out ${dir} makes them)`,
    );
  // The same checks as for any TLS pair: readable, PEM, matching, in date, key mode 0600.
  const { certPem, keyPem } = loadTlsFiles({ cert: certPath, key: keyPath });
  return { certPem: certPem!, keyPem: keyPem! };
}

function writeFiles(dir: string, name: string, bundle: CertificateBundle, force?: boolean) {
  try {
    return writeCertificateFiles(dir, name, bundle, { overwrite: force ?? false });
  } catch (error) {
    if (error instanceof KeyFilesExistError)
      throw new Error(
        `refusing to overwrite ${error.paths.join(', ')}: pass --force to replace them`,
      );
    throw error;
  }
}

function describe(pem: string, file = 'the certificate'): [string, string][] {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch (error) {
    throw new Error(`${file} is not a PEM certificate: ${(error as Error).message}`);
  }
  const usages = extendedKeyUsages(certificate);
  const purpose = certificate.ca
    ? 'certificate authority'
    : (usages ?? []).map((oid) => USAGE_NAMES[oid] ?? oid).join(', ') || 'any';
  const fingerprint = createHash('sha256').update(certificate.raw).digest('hex');
  return [
    ['subject', certificate.subject.replace(/\n/g, ', ')],
    ['issuer', certificate.issuer.replace(/\n/g, ', ')],
    ['names', certificate.subjectAltName ?? '(none)'],
    ['purpose', purpose],
    ['valid', `${iso(certificate.validFrom)} to ${iso(certificate.validTo)}`],
    ['sha256', fingerprint],
  ];
}

const USAGE_NAMES: Readonly<Record<string, string>> = {
  '1.3.6.1.5.5.7.3.1': 'server (serverAuth)',
  '1.3.6.1.5.5.7.3.2': 'client (clientAuth)',
};

const iso = (date: string) => new Date(date).toISOString();

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

function table(rows: readonly [label: string, value: string][]): string {
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return rows.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}\n`).join('');
}
