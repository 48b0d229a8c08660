/** Identities from fixed seeds, so signatures and ciphertexts in tests are reproducible. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nacl from 'tweetnacl';
import type { Identity, Role } from '../../../shared/crypto/identity.js';

export function seededIdentity(role: Role, name: string, seedByte: number): Identity {
  const sign = nacl.sign.keyPair.fromSeed(new Uint8Array(32).fill(seedByte));
  const box = nacl.box.keyPair.fromSecretKey(new Uint8Array(32).fill(seedByte + 100));
  return {
    role,
    name,
    signPublicKey: sign.publicKey,
    signSecretKey: sign.secretKey,
    boxPublicKey: box.publicKey,
    boxSecretKey: box.secretKey,
  };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'fedflow-'));
}

/** A copy of `bytes` with one bit of byte `index` flipped. */
export function flipByte(bytes: Uint8Array, index = 0): Uint8Array {
  const copy = bytes.slice();
  copy[index]! ^= 0x01;
  return copy;
}
