/**
 * The WebCrypto plumbing the certificate code shares: the lazily loaded @peculiar/x509 module,
 * the P-256 key and signature algorithms, fresh key pairs, and PKCS#8 PEM export. Kept apart
 * so that making certificates and loading a CA to sign them use one loader and one key type.
 */
import { createPrivateKey, webcrypto } from 'node:crypto';
import type * as X509 from '@peculiar/x509';

export const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

// No DOM lib here: the WebCrypto types are Node's (the library's own resolve to `any`).
export type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
export type SigningAlgorithm = webcrypto.Algorithm | webcrypto.EcdsaParams;
export type ImportAlgorithm = webcrypto.EcKeyImportParams | webcrypto.RsaHashedImportParams;
export const subtle = webcrypto.subtle;
export const cryptoForX509 = webcrypto;

// Loaded on first use: it takes ~80 ms, which every other fedflow command would pay at start-up.
let x509Module: Promise<typeof X509> | undefined;
export const loadX509 = () => {
  x509Module ??= import('@peculiar/x509');
  return x509Module;
};

export async function generateKeys(): Promise<CryptoKeyPair> {
  return (await subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
}

export async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
    .export({ format: 'pem', type: 'pkcs8' })
    .toString();
}
