import { chmodSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { generateIdentity } from '../../../shared/crypto/identity.js';
import {
  keyFilePaths,
  loadKeyFile,
  loadPrivateIdentity,
  loadPublicIdentity,
  writeIdentityFiles,
} from '../../../shared/crypto/key-files.js';
import { seededIdentity, tempDir } from './fixtures.js';

const posix = process.platform !== 'win32';

describe('key files', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips an identity through its private and public files', () => {
    const identity = generateIdentity('coordinator', 'hub');
    const { privatePath, publicPath } = writeIdentityFiles(dir, identity);
    expect(privatePath).to.equal(join(dir, 'hub.private.json'));
    expect(publicPath).to.equal(join(dir, 'hub.public.json'));
    expect(loadPrivateIdentity(privatePath)).to.deep.equal(identity);
    expect(loadPublicIdentity(publicPath)).to.deep.equal({
      role: 'coordinator',
      name: 'hub',
      signPublicKey: identity.signPublicKey,
      boxPublicKey: identity.boxPublicKey,
    });
  });

  it('writes the documented JSON with base64 keys and no secret in the public file', () => {
    const identity = seededIdentity('client', 'acme', 7);
    const { privatePath, publicPath } = writeIdentityFiles(dir, identity);
    const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
    expect(readFileSync(publicPath, 'utf8')).to.equal(
      `${JSON.stringify(
        {
          format: 'fedflow-public-key',
          version: 1,
          role: 'client',
          name: 'acme',
          signPublicKey: b64(identity.signPublicKey),
          boxPublicKey: b64(identity.boxPublicKey),
        },
        null,
        2,
      )}\n`,
    );
    const priv = JSON.parse(readFileSync(privatePath, 'utf8'));
    expect(priv.format).to.equal('fedflow-private-key');
    expect(priv.signSecretKey).to.equal(b64(identity.signSecretKey));
    expect(priv.boxSecretKey).to.equal(b64(identity.boxSecretKey));
  });

  (posix ? it : it.skip)('creates the private file with mode 0600 and the public file 0644', () => {
    const previous = process.umask(0o000); // a permissive umask must not widen the private file
    try {
      const { privatePath, publicPath } = writeIdentityFiles(dir, generateIdentity('client', 'a'));
      expect(statSync(privatePath).mode & 0o777).to.equal(0o600);
      expect(statSync(publicPath).mode & 0o777).to.equal(0o644);
    } finally {
      process.umask(previous);
    }
  });

  (posix ? it : it.skip)(
    'refuses a group- or world-readable private file with the chmod fix',
    () => {
      const { privatePath } = writeIdentityFiles(dir, generateIdentity('client', 'acme'));
      chmodSync(privatePath, 0o644);
      expect(() => loadPrivateIdentity(privatePath)).to.throw(
        `key file ${privatePath}: private key file has mode 0644, which lets group or others access it; expected 0600: run chmod 600 ${privatePath}`,
      );
      expect(() => loadKeyFile(privatePath)).to.throw(/chmod 600/);
      chmodSync(privatePath, 0o640);
      expect(() => loadPrivateIdentity(privatePath)).to.throw(/mode 0640/);
      chmodSync(privatePath, 0o400);
      expect(loadPrivateIdentity(privatePath).name).to.equal('acme');
    },
  );

  it('refuses to overwrite existing key files without overwrite, and leaves them intact', () => {
    const first = generateIdentity('client', 'acme');
    const { privatePath } = writeIdentityFiles(dir, first);
    const before = readFileSync(privatePath, 'utf8');
    expect(() => writeIdentityFiles(dir, generateIdentity('client', 'acme'))).to.throw(
      /refusing to overwrite existing key files .*acme\.private\.json, .*acme\.public\.json/,
    );
    expect(readFileSync(privatePath, 'utf8')).to.equal(before);
    expect(readdirSync(dir).sort()).to.deep.equal(['acme.private.json', 'acme.public.json']);
  });

  it('refuses when only the public file exists, writing nothing', () => {
    const { publicPath } = keyFilePaths(dir, 'acme');
    writeFileSync(publicPath, '{}');
    expect(() => writeIdentityFiles(dir, generateIdentity('client', 'acme'))).to.throw(
      /refusing to overwrite existing key file .*acme\.public\.json/,
    );
    expect(readdirSync(dir)).to.deep.equal(['acme.public.json']);
  });

  (posix ? it : it.skip)(
    'replaces key files with overwrite, tightening a loose private file',
    () => {
      const { privatePath } = writeIdentityFiles(dir, generateIdentity('client', 'acme'));
      chmodSync(privatePath, 0o644);
      const second = generateIdentity('client', 'acme');
      writeIdentityFiles(dir, second, { overwrite: true });
      expect(statSync(privatePath).mode & 0o777).to.equal(0o600);
      expect(loadPrivateIdentity(privatePath)).to.deep.equal(second);
      expect(readdirSync(dir).sort()).to.deep.equal(['acme.private.json', 'acme.public.json']);
    },
  );

  it('creates a missing key directory', () => {
    const nested = join(dir, 'state', 'keys');
    writeIdentityFiles(nested, generateIdentity('client', 'acme'));
    expect(readdirSync(nested).sort()).to.deep.equal(['acme.private.json', 'acme.public.json']);
    if (posix) expect(statSync(nested).mode & 0o777).to.equal(0o700);
  });

  it('tells which kind of key file it loaded', () => {
    const identity = generateIdentity('client', 'acme');
    const { privatePath, publicPath } = writeIdentityFiles(dir, identity);
    expect(loadKeyFile(publicPath).kind).to.equal('public');
    const loaded = loadKeyFile(privatePath);
    expect(loaded.kind).to.equal('private');
    expect(loaded.identity).to.deep.equal(identity);
  });

  it('refuses a private file where a public one is expected', () => {
    const { privatePath } = writeIdentityFiles(dir, generateIdentity('client', 'acme'));
    expect(() => loadPublicIdentity(privatePath)).to.throw(
      /format: expected a public key file \('fedflow-public-key'\), got a private one/,
    );
  });

  it('names a missing file', () => {
    const missing = join(dir, 'nobody.public.json');
    expect(() => loadPublicIdentity(missing)).to.throw(`key file ${missing}: cannot open`);
  });
});
