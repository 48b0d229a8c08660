/**
 * The README's federation walk-through, run as written: provision kits from the example
 * description, start the coordinator and two sites from their kits over mutual TLS, and audit
 * the result from the auditor's kit. Only the environment is the test's: `fedflow` on the PATH
 * runs these sources, and the example's port is a free one.
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { freePort } from '../helpers/free-port.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shell block after the README's walk-through marker. */
function walkthrough(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /<!-- federation-walkthrough -->\n```sh\n([\s\S]*?)\n```/.exec(readme);
  if (!block) throw new Error('README.md has no federation walk-through block');
  return block[1]!;
}

function runShell(script: string, cwd: string, path: string, timeoutMs: number) {
  return new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    const child = spawn('bash', ['-e', '-c', script], {
      cwd,
      env: { ...process.env, PATH: `${path}:${process.env.PATH}` },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group: a hung federation is stopped whole
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('the README’s federation walk-through', function () {
  this.timeout(300_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-readme-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('provisions, federates two sites over mutual TLS from their kits, and passes the audit', async () => {
    const example = readFileSync(join(root, 'config', 'consortium.example.yaml'), 'utf8');
    expect(example).to.include('address: 127.0.0.1:7700');
    mkdirSync(join(dir, 'config'));
    const port = await freePort();
    writeFileSync(
      join(dir, 'config', 'consortium.example.yaml'),
      example.replace('127.0.0.1:7700', `127.0.0.1:${port}`),
    );
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const tsx = createRequire(import.meta.url).resolve('tsx');
    writeFileSync(
      join(bin, 'fedflow'),
      `#!/bin/sh\nexec "${process.execPath}" --import "${tsx}" "${join(root, 'cli', 'fedflow.ts')}" "$@"\n`,
    );
    chmodSync(join(bin, 'fedflow'), 0o755);

    const { code, out } = await runShell(walkthrough(), dir, bin, 280_000);
    const logs = ['coordinator', 'site-a', 'site-b']
      .map((p) => join(dir, `${p}.log`))
      .filter((f) => existsSync(f))
      .map((f) => `--- ${f}\n${readFileSync(f, 'utf8').slice(-2000)}`)
      .join('\n');
    expect(code, `${out}\n${logs}`).to.equal(0);
    expect(out).to.include('OK: no errors, 0 warnings');
    expect(out).to.match(/site-a\s+[0-9a-f]{16}\s+1\s+3\s+1/); // 1 sketch, 3 deltas, 1 histogram
    for (const site of ['site-a', 'site-b'])
      expect(existsSync(join(dir, 'kits', site, 'state', 'model', 'integrity.json'))).to.equal(
        true,
      );

    // What site-a's sketch disclosed, decoded, with the signer pinned from its kit's keys/.
    const shown = await runShell('fedflow audit show kits/site-a/state --decode', dir, bin, 60_000);
    expect(shown.code, shown.out).to.equal(0);
    expect(shown.out).to.match(/^signer: site-a \([0-9a-f]{16}\), pinned/);
    expect(shown.out).to.match(
      /sketch: 10000 rows; each field's values and counts:\n\s+proto\s+tcp \d+/,
    );
    expect(shown.out).to.match(/delta: model v1, \d+ parameters \(8-bit\), L2 norm/);
    expect(shown.out).not.to.include('key-not-pinned');

    // The parties' state folders in their kits: the signers' keys are found in the kits' keys/.
    const inKits = await runShell(
      'fedflow audit verify kits/coordinator/state kits/site-a/state kits/site-b/state',
      dir,
      bin,
      60_000,
    );
    expect(inKits.code, inKits.out).to.equal(0);
    expect(inKits.out).to.include('OK: no errors, 0 warnings');

    // The same audit as a page an auditor can attach to a finding.
    const page = await runShell(
      'cd kits/auditor && fedflow audit report --html audit.html',
      dir,
      bin,
      60_000,
    );
    expect(page.code, page.out).to.equal(0);
    const html = readFileSync(join(dir, 'kits', 'auditor', 'audit.html'), 'utf8');
    expect(html).to.include('<strong>OK</strong>: no errors, 0 warnings.');
    expect(html).to.match(/site-b \([0-9a-f]{16}\) sent 5 messages/);
  });
});
