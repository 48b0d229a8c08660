import { chmodSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { Command } from 'commander';
import { registerKeys } from '../../../cli/commands/keys.js';
import { fingerprint } from '../../../shared/crypto/identity.js';
import { loadPrivateIdentity, loadPublicIdentity } from '../../../shared/crypto/key-files.js';
import { tempDir } from './fixtures.js';

async function runKeys(args: string[]): Promise<string> {
  let output = '';
  const program = new Command('fedflow').exitOverride();
  program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerKeys(program, (text) => {
    output += text;
  });
  await program.parseAsync(args, { from: 'user' });
  return output;
}

describe('fedflow keys', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a client identity and prints the public file and fingerprint', async () => {
    const output = await runKeys(['keys', '--role', 'client', '--name', 'acme', '--out', dir]);
    const publicPath = join(dir, 'acme.public.json');
    const identity = loadPublicIdentity(publicPath);
    expect(identity.role).to.equal('client');
    expect(output).to.include(`public key:  ${publicPath}`);
    expect(output).to.include(`fingerprint: ${fingerprint(identity.signPublicKey)}`);
    if (process.platform !== 'win32')
      expect(statSync(join(dir, 'acme.private.json')).mode & 0o777).to.equal(0o600);
  });

  it('refuses to replace an identity without --force, and replaces it with --force', async () => {
    const args = ['keys', '--role', 'coordinator', '--name', 'hub', '--out', dir];
    await runKeys(args);
    const first = loadPrivateIdentity(join(dir, 'hub.private.json'));
    let refused: unknown;
    await runKeys(args).catch((error) => {
      refused = error;
    });
    expect(refused).to.be.instanceOf(Error);
    expect((refused as Error).message).to.match(
      /refusing to overwrite .*hub\.private\.json.*pass --force/,
    );
    expect(loadPrivateIdentity(join(dir, 'hub.private.json'))).to.deep.equal(first);
    await runKeys([...args, '--force']);
    const second = loadPrivateIdentity(join(dir, 'hub.private.json'));
    expect(Buffer.from(second.signPublicKey).equals(first.signPublicKey)).to.equal(false);
  });

  it('names the missing options', async () => {
    let refused: unknown;
    await runKeys(['keys', '--name', 'acme']).catch((error) => {
      refused = error;
    });
    expect((refused as Error).message).to.match(/missing --role, --out/);
    expect(readdirSync(dir)).to.deep.equal([]);
  });

  it('refuses an unknown role', async () => {
    let refused: unknown;
    await runKeys(['keys', '--role', 'admin', '--name', 'a', '--out', dir]).catch((error) => {
      refused = error;
    });
    expect((refused as Error).message).to.match(/Allowed choices are coordinator, client/);
  });

  it('shows role, name and fingerprint of public and private key files, never a secret', async () => {
    await runKeys(['keys', '--role', 'client', '--name', 'acme', '--out', dir]);
    const identity = loadPrivateIdentity(join(dir, 'acme.private.json'));
    for (const file of ['acme.public.json', 'acme.private.json']) {
      const output = await runKeys(['keys', 'show', join(dir, file)]);
      expect(output).to.match(/role:\s+client\n/);
      expect(output).to.match(/name:\s+acme\n/);
      expect(output).to.include(fingerprint(identity.signPublicKey));
      expect(output).not.to.include(Buffer.from(identity.signSecretKey).toString('base64'));
      expect(output).not.to.include(Buffer.from(identity.boxSecretKey).toString('base64'));
    }
  });

  (process.platform === 'win32' ? it.skip : it)(
    'refuses to show a private key file others can read',
    async () => {
      await runKeys(['keys', '--role', 'client', '--name', 'acme', '--out', dir]);
      const privatePath = join(dir, 'acme.private.json');
      chmodSync(privatePath, 0o644);
      let refused: unknown;
      await runKeys(['keys', 'show', privatePath]).catch((error) => {
        refused = error;
      });
      expect((refused as Error).message).to.include(`chmod 600 ${privatePath}`);
    },
  );
});
