import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { expect } from 'chai';
import {
  createCertificateRequest,
  issueClientFromRequest,
} from '../../../shared/tls/certificate-requests.js';
import { type CertificateBundle, createCa } from '../../../shared/tls/certificates.js';

describe('a site’s own key and certificate request', function () {
  this.timeout(30_000);
  let ca: CertificateBundle;
  before(async () => {
    ca = await createCa('test CA', 60);
  });

  const refusal = async (csrPem: string, site: string) => {
    try {
      await issueClientFromRequest(ca, csrPem, site, 30, 'site-c.csr');
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('issued');
  };

  it('gets a client certificate from the CA for the key the site kept', async () => {
    const { csrPem, keyPem } = await createCertificateRequest('site-c');
    expect(csrPem).to.match(/^-----BEGIN CERTIFICATE REQUEST-----/);
    const cert = new X509Certificate(await issueClientFromRequest(ca, csrPem, 'site-c', 30, 'x'));
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).to.equal(true);
    expect(cert.subject).to.equal('CN=site-c');
    expect(cert.ca).to.equal(false);
    const fromKey = createPublicKey(createPrivateKey(keyPem)).export({
      type: 'spki',
      format: 'der',
    });
    expect(cert.publicKey.export({ type: 'spki', format: 'der' }).equals(fromKey)).to.equal(true);
    expect(cert.keyUsage ?? []).to.include('1.3.6.1.5.5.7.3.2'); // clientAuth
  });

  it('refuses a request for another site, an edited one and one that is not a request', async () => {
    const { csrPem } = await createCertificateRequest('site-d');
    expect(await refusal(csrPem, 'site-c')).to.match(
      /^site-c\.csr: the request names "CN=site-d", not CN=site-c$/,
    );
    const body = csrPem.split('\n').slice(1, -2).join('');
    const der = Buffer.from(body, 'base64');
    der[der.length - 10]! ^= 0xff; // inside the signature
    const edited = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    expect(await refusal(edited, 'site-d')).to.match(
      /signature does not verify|not a PEM certificate request/,
    );
    expect(await refusal('hello', 'site-d')).to.match(
      /^site-c\.csr: not a PEM certificate request/,
    );
  });
});
