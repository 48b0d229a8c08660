import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { writeCertificateFiles } from '../../../shared/tls/certificate-files.js';
import {
  type CertificateBundle,
  createCa,
  issueCertificate,
} from '../../../shared/tls/certificates.js';
import { extendedKeyUsages } from '../../../shared/tls/tls-files.js';

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const DAY_MS = 24 * 60 * 60_000;
const posix = process.platform !== 'win32';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected a rejection').to.be.instanceOf(Error);
  return error as Error;
}

describe('TLS certificates', () => {
  let ca: CertificateBundle;
  let caCert: X509Certificate;
  before(async () => {
    ca = await createCa('test consortium CA', 30);
    caCert = new X509Certificate(ca.certPem);
  });

  it('creates a self-signed CA certificate with a P-256 key that may issue certificates', () => {
    expect(caCert.ca).to.equal(true);
    expect(caCert.subject).to.equal('CN=test consortium CA');
    expect(caCert.checkIssued(caCert)).to.equal(true);
    expect(caCert.verify(caCert.publicKey)).to.equal(true);
    expect(caCert.publicKey.asymmetricKeyDetails?.namedCurve).to.equal('prime256v1');
    expect(ca.keyPem).to.match(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('issues a server certificate that verifies against its CA, with the names asked for and serverAuth', async () => {
    const server = await issueCertificate(ca, {
      commonName: 'coordinator',
      dnsNames: ['localhost', 'coordinator.example.org'],
      ipAddresses: ['127.0.0.1'],
      role: 'server',
      validDays: 10,
    });
    const cert = new X509Certificate(server.certPem);
    expect(cert.checkIssued(caCert)).to.equal(true);
    expect(cert.verify(caCert.publicKey)).to.equal(true);
    expect(cert.ca).to.equal(false);
    expect(cert.subject).to.equal('CN=coordinator');
    expect(cert.subjectAltName).to.equal(
      'DNS:localhost, DNS:coordinator.example.org, IP Address:127.0.0.1',
    );
    expect(extendedKeyUsages(cert)).to.deep.equal([SERVER_AUTH]);
    expect(cert.checkHost('coordinator.example.org')).to.equal('coordinator.example.org');
    expect(cert.checkIP('127.0.0.1')).to.equal('127.0.0.1');
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).to.equal('prime256v1');
    expect(cert.checkPrivateKey(createPrivateKey(server.keyPem))).to.equal(true);
  });

  it('issues a client certificate with clientAuth and no names unless asked', async () => {
    const client = await issueCertificate(ca, {
      commonName: 'site-a',
      role: 'client',
      validDays: 10,
    });
    const cert = new X509Certificate(client.certPem);
    expect(cert.checkIssued(caCert)).to.equal(true);
    expect(cert.verify(caCert.publicKey)).to.equal(true);
    expect(extendedKeyUsages(cert)).to.deep.equal([CLIENT_AUTH]);
    expect(cert.subjectAltName).to.equal(undefined);
  });

  it('issues certificates that do not verify against another CA', async () => {
    const other = new X509Certificate((await createCa('other CA', 30)).certPem);
    const client = new X509Certificate(
      (await issueCertificate(ca, { commonName: 'site-a', role: 'client', validDays: 10 })).certPem,
    );
    expect(client.checkIssued(other)).to.equal(false);
    expect(client.verify(other.publicKey)).to.equal(false);
  });

  it('starts validity at notBefore and ends it validDays later', async () => {
    const notBefore = new Date(Date.UTC(2026, 0, 1));
    const cert = new X509Certificate(
      (
        await issueCertificate(await createCa('old CA', 3650, { notBefore }), {
          commonName: 'site-a',
          role: 'client',
          validDays: 3,
          notBefore,
        })
      ).certPem,
    );
    expect(new Date(cert.validFrom).getTime()).to.equal(notBefore.getTime());
    expect(new Date(cert.validTo).getTime()).to.equal(notBefore.getTime() + 3 * DAY_MS);
  });

  it('starts validity a few minutes in the past by default, for clock skew between sites', async () => {
    const before = Date.now();
    const cert = new X509Certificate(
      (await issueCertificate(ca, { commonName: 'a', role: 'client', validDays: 1 })).certPem,
    );
    const from = new Date(cert.validFrom).getTime();
    expect(from).to.be.below(before);
    expect(from).to.be.above(before - 10 * 60_000);
  });

  it('refuses a server certificate that names no host or address', async () => {
    const error = await rejection(
      issueCertificate(ca, { commonName: 'coordinator', role: 'server', validDays: 10 }),
    );
    expect(error.message).to.match(/server certificate needs at least one DNS name or IP address/);
  });

  it('refuses malformed names and addresses, and non-positive validity', async () => {
    const base = { commonName: 'c', role: 'server' as const, validDays: 10 };
    expect(
      (await rejection(issueCertificate(ca, { ...base, ipAddresses: ['300.1.1.1'] }))).message,
    ).to.equal('"300.1.1.1" is not an IP address');
    expect(
      (await rejection(issueCertificate(ca, { ...base, dnsNames: ['bad name'] }))).message,
    ).to.equal('"bad name" is not a valid DNS name');
    expect(
      (await rejection(issueCertificate(ca, { ...base, dnsNames: ['a'], validDays: 0 }))).message,
    ).to.match(/positive whole number of days, got 0/);
    expect((await rejection(createCa('', 10))).message).to.match(/name must be 1-64 characters/);
  });

  it('refuses to issue a certificate that would outlive its CA', async () => {
    const error = await rejection(
      issueCertificate(ca, { commonName: 'site-a', role: 'client', validDays: 365 }),
    );
    expect(error.message).to.match(/would outlive its CA \(the CA expires on \d{4}-/);
  });

  it('refuses a CA key that does not belong to the CA certificate, and a non-CA issuer', async () => {
    const other = await createCa('other CA', 30);
    const request = { commonName: 'site-a', role: 'client' as const, validDays: 1 };
    expect(
      (await rejection(issueCertificate({ certPem: ca.certPem, keyPem: other.keyPem }, request)))
        .message,
    ).to.equal('the CA key does not belong to the CA certificate');
    const leaf = await issueCertificate(ca, request);
    expect((await rejection(issueCertificate(leaf, request))).message).to.match(
      /CN=site-a is not a CA certificate/,
    );
  });

  describe('files', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'fedflow-tls-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    (posix ? it : it.skip)('writes NAME.key with mode 0600 and NAME.crt with 0644', () => {
      const previous = process.umask(0o000); // a permissive umask must not widen the key file
      try {
        const paths = writeCertificateFiles(join(dir, 'tls'), 'coordinator', ca);
        expect(paths).to.deep.equal({
          certPath: join(dir, 'tls', 'coordinator.crt'),
          keyPath: join(dir, 'tls', 'coordinator.key'),
        });
        expect(statSync(paths.keyPath).mode & 0o777).to.equal(0o600);
        expect(statSync(paths.certPath).mode & 0o777).to.equal(0o644);
        expect(statSync(join(dir, 'tls')).mode & 0o777).to.equal(0o700);
        expect(readFileSync(paths.keyPath, 'utf8')).to.equal(ca.keyPem);
        expect(readFileSync(paths.certPath, 'utf8')).to.equal(ca.certPem);
      } finally {
        process.umask(previous);
      }
    });

    it('refuses to overwrite existing files unless told to, leaving them intact', async () => {
      const paths = writeCertificateFiles(dir, 'site-a', ca);
      const replacement = await createCa('replacement', 30);
      expect(() => writeCertificateFiles(dir, 'site-a', replacement)).to.throw(
        /refusing to overwrite existing key files .*site-a\.key, .*site-a\.crt/,
      );
      expect(readFileSync(paths.keyPath, 'utf8')).to.equal(ca.keyPem);
      writeCertificateFiles(dir, 'site-a', replacement, { overwrite: true });
      expect(readFileSync(paths.keyPath, 'utf8')).to.equal(replacement.keyPem);
      expect(readdirSync(dir).sort()).to.deep.equal(['site-a.crt', 'site-a.key']);
    });

    it('refuses a file name that could leave the directory', () => {
      expect(() => writeCertificateFiles(dir, '../x', ca)).to.throw(/must be letters, digits/);
    });
  });
});
