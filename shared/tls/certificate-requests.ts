/**
 * A site that keeps its own key: it makes a key and a PKCS#10 certificate request
 * (`fedflow certs request`), sends only the request, and the consortium's CA signs a client
 * certificate for the key in it (`fedflow provision` with the site's `csr`). The private key
 * never leaves the site.
 */
import { type CertificateBundle, signCertificate } from './certificates.js';
import {
  cryptoForX509,
  generateKeys,
  loadX509,
  privateKeyPem,
  SIGNING_ALGORITHM,
} from './x509-keys.js';

/** A fresh P-256 key and a request, signed by it, for a certificate naming `commonName`. */
export async function createCertificateRequest(
  commonName: string,
): Promise<{ csrPem: string; keyPem: string }> {
  const x509 = await loadX509();
  const keys = await generateKeys();
  const request = await x509.Pkcs10CertificateRequestGenerator.create(
    { name: [{ CN: [commonName] }], keys, signingAlgorithm: SIGNING_ALGORITHM },
    cryptoForX509,
  );
  return { csrPem: request.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

/**
 * A client certificate from `ca` for the key in `csrPem`, when the request is signed by that
 * key (it proves the requester holds it) and names `site`; else an error naming `source`.
 */
export async function issueClientFromRequest(
  ca: CertificateBundle,
  csrPem: string,
  site: string,
  validDays: number,
  source: string,
): Promise<string> {
  const x509 = await loadX509();
  let request: InstanceType<typeof x509.Pkcs10CertificateRequest>;
  try {
    request = new x509.Pkcs10CertificateRequest(csrPem);
  } catch (error) {
    throw new Error(`${source}: not a PEM certificate request: ${(error as Error).message}`);
  }
  if (!(await request.verify(cryptoForX509)))
    throw new Error(
      `${source}: the request's signature does not verify (edited, or not made with its key)`,
    );
  const names = request.subjectName.getField('CN');
  if (names.length !== 1 || names[0] !== site)
    throw new Error(
      `${source}: the request names ${JSON.stringify(request.subject)}, not CN=${site}`,
    );
  return signCertificate(ca, { commonName: site, role: 'client', validDays }, request.publicKey);
}
