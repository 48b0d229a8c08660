import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { writeCertificateFiles } from '../../../shared/tls/certificate-files.js';
import {
  type CertificateBundle,
  createCa,
  issueCertificate,
} from '../../../shared/tls/certificates.js';
import {
  clientCredentials,
  loadClientCredentials,
  loadServerCredentials,
  serverCredentials,
} from '../../../shared/tls/credentials.js';

describe('TLS credentials', () => {
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

  it('refuses a client certificate on the coordinator and a server certificate on a site', () => {
    const serverPaths = files('coordinator', server);
    const clientPaths = files('site-a', client);
    expect(() => loadServerCredentials({ ...clientPaths, requireClientCert: false })).to.throw(
      /is not for a server \(serverAuth\): its extended key usage is 1\.3\.6\.1\.5\.5\.7\.3\.2/,
    );
    expect(() => loadClientCredentials(serverPaths)).to.throw(/is not for a client \(clientAuth\)/);
    expect(
      loadServerCredentials({ ...serverPaths, requireClientCert: true }).credentials._isSecure(),
    ).to.equal(true);
    expect(loadClientCredentials(clientPaths).credentials._isSecure()).to.equal(true);
  });

  it('needs a CA to require client certificates, and key and certificate together', () => {
    expect(() =>
      serverCredentials({
        certPem: server.certPem,
        keyPem: server.keyPem,
        requireClientCert: true,
      }),
    ).to.throw(/needs the CA that issues them \(tls\.ca\)/);
    expect(() => loadServerCredentials({ cert: '', key: '', requireClientCert: false })).to.throw(
      /needs its certificate and key files \(tls\.cert, tls\.key\)/,
    );
    expect(() => clientCredentials({ caPem: ca.certPem, certPem: client.certPem })).to.throw(
      /give both or neither/,
    );
  });
});
