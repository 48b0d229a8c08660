import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Command } from 'commander';
import { registerCerts } from '../../../cli/commands/certs.js';
import { loadTlsFiles } from '../../../shared/tls/tls-files.js';

async function runCerts(args: string[]): Promise<string> {
  let output = '';
  const program = new Command('fedflow').exitOverride();
  program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerCerts(program, (text) => {
    output += text;
  });
  await program.parseAsync(args, { from: 'user' });
  return output;
}

async function failure(args: string[]): Promise<Error> {
  const error = await runCerts(args).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected the command to fail').to.be.instanceOf(Error);
  return error as Error;
}

describe('fedflow certs', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-certs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a CA, a server certificate for the given names and a client certificate', async () => {
    const caDir = join(dir, 'ca');
    const caOutput = await runCerts([
      'certs',
      'ca',
      '--name',
      'acme consortium CA',
      '--out',
      caDir,
    ]);
    expect(caOutput).to.include(`CA certificate: ${join(caDir, 'ca.crt')}`);
    expect(caOutput).to.match(/subject:\s+CN=acme consortium CA\n/);
    const ca = new X509Certificate(readFileSync(join(caDir, 'ca.crt')));
    expect(ca.ca).to.equal(true);

    const serverOutput = await runCerts([
      'certs',
      'server',
      '--ca-dir',
      caDir,
      '--name',
      'coordinator',
      '--dns',
      'localhost,coordinator.example.org',
      '--ip',
      '127.0.0.1',
      '--out',
      join(dir, 'coordinator'),
      '--days',
      '30',
    ]);
    expect(serverOutput).to.match(
      /names:\s+DNS:localhost, DNS:coordinator\.example\.org, IP Address:127\.0\.0\.1\n/,
    );
    expect(serverOutput).to.match(/purpose:\s+server \(serverAuth\)\n/);
    const server = loadTlsFiles({
      ca: join(caDir, 'ca.crt'),
      cert: join(dir, 'coordinator', 'coordinator.crt'),
      key: join(dir, 'coordinator', 'coordinator.key'),
    });
    expect(server.certificate!.checkIssued(ca)).to.equal(true);
    const days =
      (Date.parse(server.certificate!.validTo) - Date.parse(server.certificate!.validFrom)) /
      86_400_000;
    expect(days).to.equal(30);

    await runCerts([
      'certs',
      'client',
      '--ca-dir',
      caDir,
      '--name',
      'site-a',
      '--out',
      join(dir, 'site-a'),
    ]);
    expect(readdirSync(join(dir, 'site-a')).sort()).to.deep.equal(['site-a.crt', 'site-a.key']);
    if (process.platform !== 'win32')
      expect(statSync(join(dir, 'site-a', 'site-a.key')).mode & 0o777).to.equal(0o600);
    const shown = await runCerts(['certs', 'show', join(dir, 'site-a', 'site-a.crt')]);
    expect(shown).to.match(/subject:\s+CN=site-a\n/);
    expect(shown).to.match(/issuer:\s+CN=acme consortium CA\n/);
    expect(shown).to.match(/purpose:\s+client \(clientAuth\)\n/);
  });

  it('refuses to replace files without --force', async () => {
    const args = ['certs', 'ca', '--name', 'CA', '--out', dir];
    await runCerts(args);
    const before = readFileSync(join(dir, 'ca.key'), 'utf8');
    expect((await failure(args)).message).to.match(
      /refusing to overwrite .*ca\.key, .*ca\.crt: pass --force/,
    );
    expect(readFileSync(join(dir, 'ca.key'), 'utf8')).to.equal(before);
    await runCerts([...args, '--force']);
    expect(readFileSync(join(dir, 'ca.key'), 'utf8')).not.to.equal(before);
  });

  it('makes a site’s own key (0600) and a certificate request naming it, refusing to replace them', async () => {
    const out = await runCerts(['certs', 'request', '--name', 'site-c', '--out', dir]);
    expect(out).to.match(/site-c\.key \(mode 0600/);
    expect(statSync(join(dir, 'site-c.key')).mode & 0o777).to.equal(0o600);
    expect(readFileSync(join(dir, 'site-c.csr'), 'utf8')).to.match(
      /^-----BEGIN CERTIFICATE REQUEST-----/,
    );
    const key = readFileSync(join(dir, 'site-c.key'), 'utf8');
    expect(
      (await failure(['certs', 'request', '--name', 'site-c', '--out', dir])).message,
    ).to.match(/refusing to overwrite .*site-c\.key, .*site-c\.csr: pass --force/);
    expect(readFileSync(join(dir, 'site-c.key'), 'utf8')).to.equal(key);
  });

  it('says where the CA was expected when --ca-dir has none', async () => {
    const error = await failure(['certs', 'client', '--ca-dir', dir, '--name', 's', '--out', dir]);
    expect(error.message).to.match(
      /^no CA in .*: .*ca\.crt and .*ca\.key missing \(fedflow certs ca/,
    );
  });

  it('refuses a server certificate without --dns or --ip', async () => {
    await runCerts(['certs', 'ca', '--name', 'CA', '--out', dir]);
    const error = await failure(['certs', 'server', '--ca-dir', dir, '--name', 'c', '--out', dir]);
    expect(error.message).to.match(/needs at least one DNS name or IP address/);
  });
});
