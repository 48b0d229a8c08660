import { createHash } from 'node:crypto';
import { expect } from 'chai';
import {
  fingerprint,
  generateIdentity,
  mismatchedSecret,
  publicIdentity,
  validateIdentityName,
} from '../../../shared/crypto/identity.js';
import { seededIdentity } from './fixtures.js';

describe('identity', () => {
  it('generates keys of the tweetnacl lengths under the given role and name', () => {
    const identity = generateIdentity('client', 'acme');
    expect(identity.role).to.equal('client');
    expect(identity.name).to.equal('acme');
    expect(identity.signPublicKey).to.have.length(32);
    expect(identity.signSecretKey).to.have.length(64);
    expect(identity.boxPublicKey).to.have.length(32);
    expect(identity.boxSecretKey).to.have.length(32);
    expect(mismatchedSecret(identity)).to.equal(null);
  });

  it('generates a different identity each time', () => {
    const a = generateIdentity('client', 'acme');
    const b = generateIdentity('client', 'acme');
    expect(Buffer.from(a.signPublicKey).equals(b.signPublicKey)).to.equal(false);
    expect(Buffer.from(a.boxPublicKey).equals(b.boxPublicKey)).to.equal(false);
  });

  it('refuses names that could escape the key directory or confuse logs', () => {
    for (const bad of ['', '../x', 'a/b', '.hidden', 'with space', 'x'.repeat(65), 'naïve'])
      expect(() => validateIdentityName(bad), bad).to.throw(/identity name must be/);
    expect(validateIdentityName('site-a.example_1')).to.equal('site-a.example_1');
    expect(() => generateIdentity('client', '../evil')).to.throw(/identity name/);
  });

  it('refuses an unknown role', () => {
    expect(() => generateIdentity('admin' as 'client', 'acme')).to.throw(/role must be one of/);
  });

  it('fingerprints a key as the first 16 hex digits of its SHA-256', () => {
    const { signPublicKey } = seededIdentity('client', 'acme', 1);
    const digest = createHash('sha256').update(signPublicKey).digest('hex');
    expect(fingerprint(signPublicKey)).to.equal(digest.slice(0, 16));
    expect(fingerprint(signPublicKey)).to.match(/^[0-9a-f]{16}$/);
    expect(() => fingerprint(new Uint8Array(31))).to.throw(/expected a 32-byte/);
  });

  it('keeps only public fields in the public identity', () => {
    const pub = publicIdentity(seededIdentity('coordinator', 'hub', 2));
    expect(Object.keys(pub).sort()).to.deep.equal([
      'boxPublicKey',
      'name',
      'role',
      'signPublicKey',
    ]);
  });

  it('names the secret that does not belong to its public key', () => {
    const a = seededIdentity('client', 'acme', 1);
    const b = seededIdentity('client', 'acme', 2);
    expect(mismatchedSecret({ ...a, signSecretKey: b.signSecretKey })).to.equal('signSecretKey');
    expect(mismatchedSecret({ ...a, boxSecretKey: b.boxSecretKey })).to.equal('boxSecretKey');
    // tweetnacl keeps the public key in the last 32 bytes of the secret: both halves count
    const spliced = new Uint8Array(64);
    spliced.set(b.signSecretKey.subarray(0, 32));
    spliced.set(a.signPublicKey, 32);
    expect(mismatchedSecret({ ...a, signSecretKey: spliced })).to.equal('signSecretKey');
  });
});
