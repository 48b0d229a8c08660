import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { writeCertificateFiles } from '../../../shared/tls/certificate-files.js';
import {
  type CertificateBundle,
  createCa,
  issueCertificate,
} from '../../../shared/tls/certificates.js';
import { loadTlsFiles, TlsFileError } from '../../../shared/tls/tls-files.js';

const posix = process.platform !== 'win32';
const DAY_MS = 24 * 60 * 60_000;

describe('TLS files', () => {
  let dir: string;
  let ca: CertificateBundle;
  let server: CertificateBundle;
  let client: CertificateBundle;
  before(async () => {
    ca = await createCa('test CA', 30);
    server = await issueCertificate(ca, {
      commonName: 'coordinator',
      dnsNames: ['localhost'],
      role: 'server',
      validDays: 10,
    });
    client = await issueCertificate(ca, { commonName: 'site-a', role: 'client', validDays: 10 });
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-tls-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes a bundle as NAME.crt/NAME.key and the CA as ca.crt; returns the three paths. */
  function files(name: string, bundle: CertificateBundle) {
    const { certPath, keyPath } = writeCertificateFiles(dir, name, bundle, { overwrite: true });
    writeFileSync(join(dir, 'ca.crt'), ca.certPem);
    return { ca: join(dir, 'ca.crt'), cert: certPath, key: keyPath };
  }

  function loadError(paths: Parameters<typeof loadTlsFiles>[0], now?: Date): TlsFileError {
    try {
      loadTlsFiles(paths, now);
    } catch (error) {
      expect(error).to.be.instanceOf(TlsFileError);
      return error as TlsFileError;
    }
    throw new Error('expected loadTlsFiles to throw');
  }

  it('loads a CA, a certificate and its key', () => {
    const paths = files('coordinator', server);
    const material = loadTlsFiles(paths);
    expect(material.caPem).to.equal(ca.certPem);
    expect(material.certPem).to.equal(server.certPem);
    expect(material.keyPem).to.equal(server.keyPem);
    expect(material.certificate?.subject).to.equal('CN=coordinator');
  });

  it('loads a CA alone (a client without a certificate of its own)', () => {
    const { ca: caPath } = files('coordinator', server);
    expect(loadTlsFiles({ ca: caPath, cert: '', key: '' })).to.deep.equal({ caPem: ca.certPem });
  });

  it('names a missing file', () => {
    const paths = files('coordinator', server);
    const missing = join(dir, 'nope.crt');
    const error = loadError({ ...paths, cert: missing });
    expect(error.message).to.equal(`certificate ${missing}: cannot open it (no such file)`);
    expect(error.path).to.equal(missing);
    expect(loadError({ ...paths, ca: join(dir, 'no-ca.crt') }).message).to.match(
      /^CA certificate .*no-ca\.crt: cannot open it/,
    );
  });

  it('names a file that is not PEM, and one that holds the other kind', () => {
    const paths = files('coordinator', server);
    writeFileSync(paths.cert, 'garbage\n');
    expect(loadError(paths).message).to.equal(
      `certificate ${paths.cert} is not a PEM certificate: expected a -----BEGIN CERTIFICATE----- block`,
    );
    writeFileSync(paths.cert, server.keyPem);
    expect(loadError(paths).message).to.match(
      /holds a private key: are the certificate and key files swapped/,
    );
    writeFileSync(paths.cert, server.certPem);
    writeFileSync(paths.key, 'not a key', { mode: 0o600 });
    expect(loadError(paths).message).to.equal(
      `private key ${paths.key} is not a PEM private key: expected a -----BEGIN PRIVATE KEY----- block`,
    );
    writeFileSync(paths.key, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', {
      mode: 0o600,
    });
    expect(loadError(paths).message).to.match(
      new RegExp(`^private key ${paths.key} cannot be parsed`),
    );
  });

  it('refuses a key that does not belong to the certificate', () => {
    const paths = files('coordinator', server);
    const other = files('site-a', client);
    expect(loadError({ ...paths, key: other.key }).message).to.equal(
      `private key ${other.key} does not belong to certificate ${paths.cert} (was one of them replaced without the other?)`,
    );
  });

  it('refuses an expired certificate, saying when it expired', async () => {
    const notBefore = new Date(Date.now() - 10 * DAY_MS);
    const expired = await issueCertificate(ca, {
      commonName: 'old-site',
      role: 'client',
      validDays: 2,
      notBefore,
    });
    const paths = files('old-site', expired);
    const expiredOn = new Date(notBefore.getTime() + 2 * DAY_MS);
    expiredOn.setUTCMilliseconds(0); // certificates keep whole seconds
    expect(loadError(paths).message).to.equal(
      `certificate ${paths.cert} expired on ${expiredOn.toISOString()} (CN=old-site): issue a new one (fedflow certs, docs/tls.md)`,
    );
  });

  it('refuses a certificate that is not valid yet, and an expired CA', () => {
    const paths = files('coordinator', server);
    const cert = new X509Certificate(server.certPem);
    const early = new Date(new Date(cert.validFrom).getTime() - 60_000);
    expect(loadError(paths, early).message).to.match(
      /^CA certificate .* is not valid until .*: check this machine's clock$/,
    );
    expect(loadError({ cert: paths.cert, key: paths.key }, early).message).to.equal(
      `certificate ${paths.cert} is not valid until ${new Date(cert.validFrom).toISOString()}: check this machine's clock`,
    );
    const late = new Date(Date.now() + 40 * DAY_MS);
    expect(loadError({ ca: paths.ca }, late).message).to.match(
      /^CA certificate .*ca\.crt expired on /,
    );
  });

  (posix ? it : it.skip)('refuses a private key file that group or others can read', () => {
    const paths = files('coordinator', server);
    chmodSync(paths.key, 0o644);
    expect(loadError(paths).message).to.equal(
      `private key ${paths.key} has mode 0644, which lets group or others access it; expected 0600: run chmod 600 ${paths.key}`,
    );
  });

  it('refuses a certificate without its key and a key without its certificate', () => {
    const paths = files('coordinator', server);
    expect(loadError({ cert: paths.cert }).message).to.match(/was given without its private key/);
    expect(loadError({ key: paths.key }).message).to.match(/was given without its certificate/);
  });
});
