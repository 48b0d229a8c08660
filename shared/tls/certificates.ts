/**
 * The consortium's X.509 material, made in-process (no openssl needed): a CA, and the server
 * and client certificates it issues, all with ECDSA P-256 keys. Loading a CA to sign with is in
 * certificate-authority.ts, writing the files in certificate-files.ts.
 *
 * Library: @peculiar/x509 (pure TypeScript over Node's built-in WebCrypto, maintained, builds
 * SAN/EKU/key-identifier extensions). node-forge was rejected: its X.509 support is RSA-only
 * (no ECDSA certificates) and it has had signature-parsing CVEs; selfsigned is a thin wrapper
 * over this same library aimed at self-signed certificates, not a CA issuing leaves. Pinned to
 * the 1.x line: it loads its own Reflect polyfill (reflect-metadata), whereas 2.x makes every
 * entry point install and import one before the library loads (a second package and an
 * import-order trap).
 */
import { isIP } from 'node:net';
import type * as X509 from '@peculiar/x509';
import { loadAuthority } from './certificate-authority.js';
import {
  type CryptoKey,
  cryptoForX509,
  generateKeys,
  loadX509,
  privateKeyPem,
  SIGNING_ALGORITHM,
} from './x509-keys.js';

/** A certificate and its private key, both PEM (the key as PKCS#8). */
export interface CertificateBundle {
  readonly certPem: string;
  readonly keyPem: string;
}

export const CERTIFICATE_ROLES = ['server', 'client'] as const;
/** A server certificate is for the coordinator, a client certificate for a site (mTLS). */
export type CertificateRole = (typeof CERTIFICATE_ROLES)[number];

export interface CertificateRequest {
  readonly commonName: string;
  /** Host names the certificate is valid for (server: what clients connect to). */
  readonly dnsNames?: readonly string[];
  /** IP addresses the certificate is valid for (server: what clients connect to). */
  readonly ipAddresses?: readonly string[];
  readonly role: CertificateRole;
  readonly validDays: number;
  /** Start of validity; default five minutes ago (tolerates clock skew between sites). */
  readonly notBefore?: Date;
}

const CLOCK_SKEW_MS = 5 * 60_000;
const DAY_MS = 24 * 60 * 60_000;
// RFC 5280's upper bound for a common name.
const MAX_COMMON_NAME = 64;
const DNS_NAME =
  /^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * A new certificate authority: a self-signed CA certificate (may sign leaf certificates only,
 * path length 0) and its key. Every party trusts the certificate; the key stays with the
 * operator, ideally offline.
 * @example const ca = await createCa('acme consortium CA', 3650);
 */
export async function createCa(
  name: string,
  validDays: number,
  options: { notBefore?: Date } = {},
): Promise<CertificateBundle> {
  validateCommonName(name);
  const { notBefore, notAfter } = validity(validDays, options.notBefore);
  const x509 = await loadX509();
  const keys = await generateKeys();
  const subject = [{ CN: [name] }];
  const certificate = await x509.X509CertificateGenerator.create(
    {
      subject,
      issuer: subject,
      notBefore,
      notAfter,
      publicKey: keys.publicKey,
      signingKey: keys.privateKey,
      signingAlgorithm: SIGNING_ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
          true,
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, cryptoForX509),
      ],
    },
    cryptoForX509,
  );
  return { certPem: certificate.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

/**
 * A server or client certificate signed by `ca`, with a fresh key. Server certificates carry
 * the serverAuth usage and must name at least one DNS name or IP address (clients check the
 * address they dial against these); client certificates carry clientAuth.
 * @example await issueCertificate(ca, { commonName: 'coordinator', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], role: 'server', validDays: 365 });
 */
export async function issueCertificate(
  ca: CertificateBundle,
  request: CertificateRequest,
): Promise<CertificateBundle> {
  const keys = await generateKeys();
  const certPem = await signCertificate(ca, request, keys.publicKey);
  return { certPem, keyPem: await privateKeyPem(keys.privateKey) };
}

/**
 * A certificate signed by `ca` for `publicKey`, whose private key the caller never sees (a
 * site's own, from its certificate request: certificate-requests.ts), as PEM.
 */
export async function signCertificate(
  ca: CertificateBundle,
  request: CertificateRequest,
  publicKey: CryptoKey | X509.PublicKey,
): Promise<string> {
  validateRequest(request);
  const { notBefore, notAfter } = validity(request.validDays, request.notBefore);
  const x509 = await loadX509();
  const authority = await loadAuthority(ca, notAfter);
  const keys = { publicKey };
  const names = [
    ...(request.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(request.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const usage =
    request.role === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth;
  const authorityKeyId = authority.certificate.getExtension(x509.SubjectKeyIdentifierExtension);
  const certificate = await x509.X509CertificateGenerator.create(
    {
      subject: [{ CN: [request.commonName] }],
      issuer: authority.certificate.subjectName,
      notBefore,
      notAfter,
      publicKey: keys.publicKey,
      signingKey: authority.signingKey,
      signingAlgorithm: authority.signingAlgorithm,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([usage]),
        ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names)] : []),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, cryptoForX509),
        authorityKeyId
          ? new x509.AuthorityKeyIdentifierExtension(authorityKeyId.keyId)
          : await x509.AuthorityKeyIdentifierExtension.create(
              authority.certificate.publicKey,
              false,
              cryptoForX509,
            ),
      ],
    },
    cryptoForX509,
  );
  return certificate.toString('pem');
}

function validity(validDays: number, start?: Date): { notBefore: Date; notAfter: Date } {
  if (!Number.isInteger(validDays) || validDays <= 0)
    throw new Error(`validity must be a positive whole number of days, got ${validDays}`);
  if (start !== undefined && Number.isNaN(start.getTime()))
    throw new Error('notBefore is not a valid date');
  const notBefore = start ?? new Date(Date.now() - CLOCK_SKEW_MS);
  return { notBefore, notAfter: new Date(notBefore.getTime() + validDays * DAY_MS) };
}

function validateCommonName(name: string): void {
  if (name.trim() === '' || name.length > MAX_COMMON_NAME)
    throw new Error(
      `a certificate name must be 1-${MAX_COMMON_NAME} characters, got ${JSON.stringify(name)}`,
    );
}

function validateRequest(request: CertificateRequest): void {
  validateCommonName(request.commonName);
  if (!CERTIFICATE_ROLES.includes(request.role))
    throw new Error(`role must be ${CERTIFICATE_ROLES.join(' or ')}, got ${String(request.role)}`);
  for (const name of request.dnsNames ?? [])
    if (!DNS_NAME.test(name)) throw new Error(`${JSON.stringify(name)} is not a valid DNS name`);
  for (const address of request.ipAddresses ?? [])
    if (isIP(address) === 0) throw new Error(`${JSON.stringify(address)} is not an IP address`);
  const nameCount = (request.dnsNames?.length ?? 0) + (request.ipAddresses?.length ?? 0);
  if (request.role === 'server' && nameCount === 0)
    throw new Error(
      'a server certificate needs at least one DNS name or IP address: the ones clients connect to (e.g. localhost, 127.0.0.1, coordinator.example.org)',
    );
}
