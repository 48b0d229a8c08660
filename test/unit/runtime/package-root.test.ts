import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { packageRoot } from '../../../shared/runtime/package-root.js';

describe('the package root, found from a module', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-root-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("is the repository's root from a test's source file", () => {
    const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
    expect(packageRoot(import.meta.url)).to.equal(repo);
  });

  it('is the nearest folder with a package.json above, at any depth (sources, dist, a bundle)', () => {
    const pkg = join(dir, 'pkg');
    mkdirSync(join(pkg, 'dist', 'bundle'), { recursive: true });
    mkdirSync(join(pkg, 'dist', 'shared', 'wire'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{}');
    for (const module of ['dist/bundle/chunk.js', 'dist/shared/wire/x.js', 'x.js']) {
      expect(packageRoot(pathToFileURL(join(pkg, module)).href)).to.equal(pkg);
    }
  });
});
