import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const backendModule = join(root, 'shared', 'runtime', 'backend.ts');

/** tfjs-node is there only where `npm run native:build` made it (its own install fails offline). */
function nativeBackendInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-node');
    return true;
  } catch {
    return false;
  }
}

/** Backend choice is process-wide, so each case runs in its own process. */
function selectBackend(env: Record<string, string>, choice?: string) {
  const script = `const m = await import(${JSON.stringify(backendModule)}); const r = await m.initBackend(${choice ? JSON.stringify(choice) : ''}); console.log(JSON.stringify(r));`;
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

describe('TensorFlow.js backend selection', function () {
  this.timeout(60_000);

  it('picks the best available backend and says why the better ones were skipped', () => {
    const r = selectBackend({ FEDFLOW_BACKEND: '' });
    expect(r.status, r.stderr).to.equal(0);
    const report = JSON.parse(r.stdout);
    expect(['tensorflow', 'wasm']).to.include(report.name);
    if (report.name === 'wasm') expect(report.reason).to.match(/@tensorflow\/tfjs-node/);
  });

  it('obeys FEDFLOW_BACKEND', () => {
    const r = selectBackend({ FEDFLOW_BACKEND: 'cpu' });
    expect(r.status, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout)).to.deep.equal({
      name: 'cpu',
      reason: 'forced by FEDFLOW_BACKEND',
    });
  });

  it('lets configuration override the environment', () => {
    const r = selectBackend({ FEDFLOW_BACKEND: 'cpu' }, 'wasm');
    expect(r.status, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout).name).to.equal('wasm');
  });

  it('runs on native TensorFlow when FEDFLOW_BACKEND asks for it and it is built', function () {
    if (!nativeBackendInstalled()) this.skip();
    const r = selectBackend({ FEDFLOW_BACKEND: 'tensorflow' });
    expect(r.status, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout)).to.deep.equal({
      name: 'tensorflow',
      reason: 'forced by FEDFLOW_BACKEND',
    });
  });

  it('refuses an unknown backend name, naming the variable', () => {
    const r = selectBackend({ FEDFLOW_BACKEND: 'gpu' });
    expect(r.status).to.not.equal(0);
    expect(r.stderr).to.match(/FEDFLOW_BACKEND: unknown backend 'gpu'/);
  });
});
