/** What `fedflow certs ca|server|client|show` do (their options: cli/commands/certs.ts). */
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeyFilesExistError, writeKeyFile } from '../../shared/crypto/key-files.js';
import { writeCertificateFiles } from '../../shared/tls/certificate-files.js';
import { createCertificateRequest } from '../../shared/tls/certificate-requests.js';
import {
  type CertificateBundle,
  type CertificateRole,
  createCa,
  issueCertificate,
} from '../../shared/tls/certificates.js';
import { extendedKeyUsages, loadTlsFiles } from '../../shared/tls/tls-files.js';
import { CA_FILE_NAME } from '../ca-file-name.js';
import type { CaOptions, LeafOptions, RequestOptions, WriteOutput } from '../commands/certs.js';

export async function createCaFiles(options: CaOptions, write: WriteOutput): Promise<void> {
  const bundle = await createCa(options.name, options.days);
  const paths = writeFiles(options.out, CA_FILE_NAME, bundle, options.force);
  write(
    table([
      ['CA certificate', `${paths.certPath} (every party trusts this one: tls.ca)`],
      ['CA key', `${paths.keyPath} (mode 0600; issues certificates: keep it safe)`],
      ...describe(bundle.certPem),
    ]),
  );
}

export async function createRequest(options: RequestOptions, write: WriteOutput): Promise<void> {
  const { csrPem, keyPem } = await createCertificateRequest(options.name);
  const keyPath = join(options.out, `${options.name}.key`);
  const csrPath = join(options.out, `${options.name}.csr`);
  const force = options.force ?? false;
  const existing = [keyPath, csrPath].filter((p) => existsSync(p));
  if (existing.length > 0 && !force)
    throw new Error(`refusing to overwrite ${existing.join(', ')}: pass --force to replace them`);
  mkdirSync(options.out, { recursive: true, mode: 0o700 });
  writeKeyFile(keyPath, keyPem, 0o600, force);
  writeKeyFile(csrPath, csrPem, 0o644, force);
  write(
    table([
      [
        'key',
        `${keyPath} (mode 0600; tls.key of site ${options.name}: it never leaves this machine)`,
      ],
      [
        'request',
        `${csrPath} (send it to whoever provisions the consortium, with your NAME.public.json)`,
      ],
    ]),
  );
}

export function showCertificate(file: string, write: WriteOutput): void {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
  write(table([['file', file], ...describe(pem, file)]));
}

export async function issue(role: CertificateRole, options: LeafOptions, write: WriteOutput) {
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

function table(rows: readonly [label: string, value: string][]): string {
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return rows.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}\n`).join('');
}
