/**
 * TLS files on disk, checked before use so a wrong, mismatched or expired file is named at
 * start-up instead of surfacing later as an opaque handshake failure.
 */
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';

/** Paths of the PEM files; any may be absent (empty string or undefined). */
export interface TlsFilePaths {
  /** CA certificate(s) to trust: the server's CA on a client, the clients' CA on a server. */
  readonly ca?: string;
  /** Own certificate (a chain may follow it in the same file). */
  readonly cert?: string;
  /** Own private key (unencrypted PEM, mode 0600). */
  readonly key?: string;
}

/** The PEM text of the files that were given, checked. */
export interface TlsMaterial {
  readonly caPem?: string;
  readonly certPem?: string;
  readonly keyPem?: string;
  /** The own certificate, for logging its subject and expiry. */
  readonly certificate?: X509Certificate;
}

/** A TLS file that cannot be used; the message names the file and what to do. */
export class TlsFileError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'TlsFileError';
  }
}

/** Extended key usages: TLS server and TLS client authentication. */
export const OID_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
export const OID_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Reads and checks the given PEM files: each must be readable and PEM of the right kind, the
 * key must belong to the certificate and be private to this user (mode 0600), and every
 * certificate must be valid at `now`.
 * @example const tls = loadTlsFiles({ ca: 'tls/ca.crt', cert: 'tls/coordinator.crt', key: 'tls/coordinator.key' });
 */
export function loadTlsFiles(paths: TlsFilePaths, now: Date = new Date()): TlsMaterial {
  const given = (path: string | undefined): path is string => path !== undefined && path !== '';
  if (given(paths.cert) !== given(paths.key))
    throw new TlsFileError(
      given(paths.cert) ? paths.cert! : paths.key!,
      given(paths.cert)
        ? `certificate ${paths.cert} was given without its private key file`
        : `private key ${paths.key} was given without its certificate file`,
    );
  let caPem: string | undefined;
  if (given(paths.ca)) {
    caPem = readPem(paths.ca, 'CA certificate');
    const authorities = parseCertificates(paths.ca, caPem, 'CA certificate');
    for (const authority of authorities) checkValidity(paths.ca, authority, 'CA certificate', now);
  }
  if (!given(paths.cert)) return { caPem };
  const certPem = readPem(paths.cert, 'certificate');
  const [certificate] = parseCertificates(paths.cert, certPem, 'certificate');
  const keyPem = readPem(paths.key!, 'private key');
  const key = parsePrivateKey(paths.key!, keyPem);
  if (!certificate!.checkPrivateKey(key))
    throw new TlsFileError(
      paths.key!,
      `private key ${paths.key} does not belong to certificate ${paths.cert} (was one of them replaced without the other?)`,
    );
  checkValidity(paths.cert, certificate!, 'certificate', now);
  return { caPem, certPem, keyPem, certificate: certificate! };
}

function readPem(path: string, what: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new TlsFileError(path, `${what} ${path}: cannot open it (${errnoText(error)})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new TlsFileError(path, `${what} ${path} is not a regular file`);
    // The mode is read from the open descriptor, so the file checked is the file read.
    if (what === 'private key') refuseSharedKeyFile(path, stat.mode & 0o7777);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

function parseCertificates(path: string, pem: string, what: string): X509Certificate[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    const hint = /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)
      ? ' (it holds a private key: are the certificate and key files swapped?)'
      : '';
    throw new TlsFileError(
      path,
      `${what} ${path} is not a PEM certificate: expected a -----BEGIN CERTIFICATE----- block${hint}`,
    );
  }
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (error) {
      const which = blocks.length > 1 ? ` (certificate ${i + 1} of ${blocks.length})` : '';
      throw new TlsFileError(
        path,
        `${what} ${path}${which} cannot be parsed: ${(error as Error).message}`,
      );
    }
  });
}

function parsePrivateKey(path: string, pem: string): KeyObject {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    const hint = pem.includes('-----BEGIN CERTIFICATE-----')
      ? ' (it holds a certificate: are the certificate and key files swapped?)'
      : '';
    throw new TlsFileError(
      path,
      `private key ${path} is not a PEM private key: expected a -----BEGIN PRIVATE KEY----- block${hint}`,
    );
  }
  try {
    return createPrivateKey(pem);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MISSING_PASSPHRASE')
      throw new TlsFileError(
        path,
        `private key ${path} is encrypted; fedflow needs it unencrypted (protected by mode 0600): openssl pkey -in ${path} -out NEW_FILE`,
      );
    throw new TlsFileError(
      path,
      `private key ${path} cannot be parsed: ${(error as Error).message}`,
    );
  }
}

function checkValidity(path: string, certificate: X509Certificate, what: string, now: Date): void {
  const from = new Date(certificate.validFrom);
  const to = new Date(certificate.validTo);
  if (now.getTime() > to.getTime())
    throw new TlsFileError(
      path,
      `${what} ${path} expired on ${to.toISOString()} (${certificate.subject.replace(/\n/g, ', ')}): issue a new one (fedflow certs, docs/tls.md)`,
    );
  if (now.getTime() < from.getTime())
    throw new TlsFileError(
      path,
      `${what} ${path} is not valid until ${from.toISOString()}: check this machine's clock`,
    );
}

/** A certificate's extended key usage OIDs (undefined: no such extension, any purpose). */
export function extendedKeyUsages(certificate: X509Certificate): string[] | undefined {
  // Node 20 calls the list `keyUsage` (later releases: `extKeyUsage`).
  return (
    (certificate as X509Certificate & { extKeyUsage?: string[] }).extKeyUsage ??
    certificate.keyUsage
  );
}

/** Refuses a certificate whose extended key usage does not allow `oid` (`role` says which). */
export function requirePurpose(
  path: string,
  certificate: X509Certificate,
  oid: string,
  role: string,
): void {
  const usages = extendedKeyUsages(certificate);
  // No extension at all means any purpose.
  if (usages === undefined || usages.length === 0 || usages.includes(oid)) return;
  throw new TlsFileError(
    path,
    `certificate ${path} is not for ${role}: its extended key usage is ${usages.join(', ')} (fedflow certs server|client makes the right kind)`,
  );
}

function refuseSharedKeyFile(path: string, mode: number): void {
  // Windows has no POSIX modes (Node reports 0666 for every file), so the check cannot apply.
  if (process.platform === 'win32' || (mode & 0o077) === 0) return;
  throw new TlsFileError(
    path,
    `private key ${path} has mode ${mode.toString(8).padStart(4, '0')}, which lets group or others access it; expected 0600: run chmod 600 ${path}`,
  );
}

function errnoText(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  return message;
}
