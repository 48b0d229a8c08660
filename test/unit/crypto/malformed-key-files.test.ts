import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadPrivateIdentity, loadPublicIdentity } from '../../../shared/crypto/key-files.js';
import { seededIdentity, tempDir } from './fixtures.js';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const acme = seededIdentity('client', 'acme', 3);
const other = seededIdentity('client', 'acme', 4);

function publicDocument(): Record<string, unknown> {
  return {
    format: 'fedflow-public-key',
    version: 1,
    role: 'client',
    name: 'acme',
    signPublicKey: b64(acme.signPublicKey),
    boxPublicKey: b64(acme.boxPublicKey),
  };
}

function privateDocument(): Record<string, unknown> {
  return {
    ...publicDocument(),
    format: 'fedflow-private-key',
    signSecretKey: b64(acme.signSecretKey),
    boxSecretKey: b64(acme.boxSecretKey),
  };
}

describe('malformed key files', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function writeKey(name: string, content: string | Record<string, unknown>): string {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content), {
      mode: 0o600,
    });
    return path;
  }

  const publicCases: [string, (d: Record<string, unknown>) => void, RegExp][] = [
    [
      'a wrong format',
      (d) => (d.format = 'ssh-key'),
      /format: expected 'fedflow-public-key', got "ssh-key"/,
    ],
    ['a newer version', (d) => (d.version = 2), /version: expected 1, got 2/],
    ['a missing key', (d) => delete d.boxPublicKey, /boxPublicKey: missing/],
    [
      'an unknown role',
      (d) => (d.role = 'admin'),
      /role: role must be one of coordinator, client; got "admin"/,
    ],
    ['a name with a slash', (d) => (d.name = 'a/b'), /name: identity name must be/],
    [
      'a number for a key',
      (d) => (d.signPublicKey = 42),
      /signPublicKey: expected 32 bytes as base64, got 42/,
    ],
    [
      'a short key',
      (d) => (d.signPublicKey = b64(new Uint8Array(31))),
      /signPublicKey: expected 32 bytes, got 31/,
    ],
    [
      'a key that is not base64',
      (d) => (d.boxPublicKey = 'not*base64!'),
      /boxPublicKey: expected padded base64 text/,
    ],
    [
      'unpadded base64',
      (d) => (d.boxPublicKey = String(d.boxPublicKey).replace(/=+$/, '')),
      /boxPublicKey: expected padded base64/,
    ],
    ['an unexpected field', (d) => (d.comment = 'hi'), /comment: unexpected field/],
  ];
  for (const [what, damage, message] of publicCases)
    it(`names the file and field of a public key file with ${what}`, () => {
      const document = publicDocument();
      damage(document);
      const path = writeKey('acme.public.json', document);
      expect(() => loadPublicIdentity(path)).to.throw(`key file ${path}: `);
      expect(() => loadPublicIdentity(path)).to.throw(message);
    });

  it('names a key file that is not JSON', () => {
    const path = writeKey('acme.public.json', '{"format": "fedflow-public-key",');
    expect(() => loadPublicIdentity(path)).to.throw(
      new RegExp(`key file ${path}: expected JSON, got a parse error`),
    );
  });

  it('names a key file that holds JSON but not an object', () => {
    const path = writeKey('acme.public.json', '[1, 2]');
    expect(() => loadPublicIdentity(path)).to.throw(
      `key file ${path}: expected a JSON object, got an array`,
    );
  });

  it('names a signing secret that belongs to another identity', () => {
    const path = writeKey('acme.private.json', {
      ...privateDocument(),
      signSecretKey: b64(other.signSecretKey),
    });
    expect(() => loadPrivateIdentity(path)).to.throw(
      `key file ${path}: signSecretKey: does not match signPublicKey`,
    );
  });

  it('names a box secret that belongs to another identity', () => {
    const path = writeKey('acme.private.json', {
      ...privateDocument(),
      boxSecretKey: b64(other.boxSecretKey),
    });
    expect(() => loadPrivateIdentity(path)).to.throw(
      `key file ${path}: boxSecretKey: does not match boxPublicKey`,
    );
  });

  it('names a secret of the wrong length without printing it', () => {
    const short = b64(acme.signSecretKey.subarray(0, 32));
    const path = writeKey('acme.private.json', { ...privateDocument(), signSecretKey: short });
    expect(() => loadPrivateIdentity(path)).to.throw(
      `key file ${path}: signSecretKey: expected 64 bytes, got 32`,
    );
    const garbled = writeKey('b.private.json', {
      ...privateDocument(),
      boxSecretKey: `${b64(acme.boxSecretKey)}!`,
    });
    try {
      loadPrivateIdentity(garbled);
      expect.fail('loaded a garbled secret');
    } catch (error) {
      expect((error as Error).message).to.match(/boxSecretKey: expected padded base64 text/);
      expect((error as Error).message).not.to.include(b64(acme.boxSecretKey));
    }
  });

  it('names a public key file passed where a private one is expected', () => {
    const path = writeKey('acme.public.json', publicDocument());
    expect(() => loadPrivateIdentity(path)).to.throw(
      `key file ${path}: format: expected 'fedflow-private-key', got "fedflow-public-key"`,
    );
  });

  it('loads the unharmed documents these cases start from', () => {
    expect(loadPublicIdentity(writeKey('p.json', publicDocument())).name).to.equal('acme');
    expect(loadPrivateIdentity(writeKey('s.json', privateDocument()))).to.deep.equal(acme);
  });
});
