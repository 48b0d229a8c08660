/**
 * Loading an existing CA to sign with: checks that its certificate and key belong together,
 * that it may issue and will outlive the new certificate, and picks the signature algorithm its
 * key calls for. Apart from issuing itself because it accepts more than fedflow makes.
 */
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import type * as X509 from '@peculiar/x509';
import type { CertificateBundle } from './certificates.js';
import {
  type CryptoKey,
  type ImportAlgorithm,
  KEY_ALGORITHM,
  loadX509,
  SIGNING_ALGORITHM,
  type SigningAlgorithm,
  subtle,
} from './x509-keys.js';

export interface Authority {
  readonly certificate: X509.X509Certificate;
  readonly signingKey: CryptoKey;
  readonly signingAlgorithm: SigningAlgorithm;
}

// The CA may also come from the openssl recipe (docs/tls.md), so RSA and P-384 keys and SEC1
// "EC PRIVATE KEY" files are accepted too.
export async function loadAuthority(ca: CertificateBundle, leafNotAfter: Date): Promise<Authority> {
  let nodeCertificate: X509Certificate;
  let key: KeyObject;
  try {
    nodeCertificate = new X509Certificate(ca.certPem);
  } catch (error) {
    throw new Error(`the CA certificate is not a PEM certificate (${(error as Error).message})`);
  }
  try {
    key = createPrivateKey(ca.keyPem);
  } catch (error) {
    throw new Error(`the CA key is not a PEM private key (${(error as Error).message})`);
  }
  if (!nodeCertificate.ca)
    throw new Error(
      `${nodeCertificate.subject} is not a CA certificate (basicConstraints CA:FALSE)`,
    );
  if (!nodeCertificate.checkPrivateKey(key))
    throw new Error('the CA key does not belong to the CA certificate');
  const caNotAfter = new Date(nodeCertificate.validTo);
  if (caNotAfter.getTime() <= Date.now())
    throw new Error(`the CA certificate expired on ${caNotAfter.toISOString()}; create a new CA`);
  if (leafNotAfter.getTime() > caNotAfter.getTime())
    throw new Error(
      `the certificate would outlive its CA (the CA expires on ${caNotAfter.toISOString()}); ask for fewer days or create a new CA`,
    );
  const { algorithm, signing } = signingAlgorithmFor(key);
  const x509 = await loadX509();
  const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
  const signingKey = await subtle.importKey('pkcs8', pkcs8, algorithm, false, ['sign']);
  return {
    certificate: new x509.X509Certificate(ca.certPem),
    signingKey,
    signingAlgorithm: signing,
  };
}

function signingAlgorithmFor(key: KeyObject): {
  algorithm: ImportAlgorithm;
  signing: SigningAlgorithm;
} {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1')
    return { algorithm: KEY_ALGORITHM, signing: SIGNING_ALGORITHM };
  if (key.asymmetricKeyType === 'ec' && details?.namedCurve === 'secp384r1')
    return {
      algorithm: { name: 'ECDSA', namedCurve: 'P-384' },
      signing: { name: 'ECDSA', hash: 'SHA-384' },
    };
  if (key.asymmetricKeyType === 'rsa')
    return {
      algorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      signing: { name: 'RSASSA-PKCS1-v1_5' },
    };
  throw new Error(
    `the CA key is ${key.asymmetricKeyType}${details?.namedCurve ? ` (${details.namedCurve})` : ''}; expected ECDSA P-256/P-384 or RSA`,
  );
}
