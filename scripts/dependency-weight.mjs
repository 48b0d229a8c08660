// What each dependency in package.json costs on disk once installed: the package and every
// package it pulls in (read from package-lock.json, resolved the way Node resolves them), as
// `du` counts it. A package that more than one top-level dependency pulls in is "shared": it is
// counted in each one's total and listed apart, since removing one of them does not remove it.
//
//   node scripts/dependency-weight.mjs            # table of installed packages, largest first
//   node scripts/dependency-weight.mjs --json     # the same as JSON
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.cwd();
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const manifest = lock.packages[''];

/** Files already counted, by inode: a hard-linked file (esbuild's binary) counts once, as in du. */
const counted = new Set();

/** Bytes on disk (512-byte blocks, as du counts) under dir, leaving out nested node_modules. */
function diskBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    const stat = lstatSync(path);
    if (stat.nlink > 1 && !entry.isDirectory()) {
      if (counted.has(stat.ino)) continue;
      counted.add(stat.ino);
    }
    total += stat.blocks * 512;
    if (entry.isDirectory()) total += diskBytes(path);
  }
  return total;
}

/** Where `name` resolves from the package at lock path `from`: its own node_modules, then up. */
function resolve(from, name) {
  for (let at = from; ; at = at.slice(0, Math.max(0, at.lastIndexOf('/node_modules/')))) {
    const candidate = at === '' ? `node_modules/${name}` : `${at}/node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (at === '') return undefined;
  }
}

/** Lock paths of a package and everything it pulls in that npm installed here. */
function closure(path) {
  const seen = new Set();
  const pending = [path];
  while (pending.length > 0) {
    const at = pending.pop();
    if (seen.has(at) || !installed(at)) continue;
    seen.add(at);
    const entry = lock.packages[at];
    const names = Object.keys({
      ...entry.dependencies,
      ...entry.optionalDependencies,
      ...entry.peerDependencies,
    });
    for (const name of names) {
      const found = resolve(at, name);
      if (found) pending.push(found);
    }
  }
  return seen;
}

function installed(path) {
  try {
    return lstatSync(join(root, path)).isDirectory();
  } catch {
    return false;
  }
}

const kinds = [
  ['dependencies', manifest.dependencies],
  ['optional', manifest.optionalDependencies],
  ['dev', manifest.devDependencies],
];
const tops = kinds.flatMap(([kind, deps]) =>
  Object.keys(deps ?? {}).map((name) => ({
    name,
    kind,
    packages: closure(`node_modules/${name}`),
  })),
);
const users = new Map();
for (const top of tops)
  for (const path of top.packages) users.set(path, (users.get(path) ?? 0) + 1);
const bytes = new Map([...users.keys()].map((path) => [path, diskBytes(join(root, path))]));

const rows = tops
  .filter((top) => top.packages.size > 0)
  .map((top) => {
    const paths = [...top.packages];
    const sum = (list) => list.reduce((total, path) => total + bytes.get(path), 0);
    const own = paths.filter((path) => users.get(path) === 1);
    return {
      name: top.name,
      kind: top.kind,
      packages: paths.length,
      totalMB: sum(paths) / 1e6,
      ownMB: sum(own) / 1e6,
      sharedMB: sum(paths.filter((path) => users.get(path) > 1)) / 1e6,
    };
  })
  .sort((a, b) => b.totalMB - a.totalMB);
const all = [...bytes.values()].reduce((a, b) => a + b, 0) / 1e6;

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ installedPackages: bytes.size, totalMB: all, rows }, null, 2));
} else {
  const mb = (value) => value.toFixed(1).padStart(7);
  console.log('dependency                         kind          pkgs   total    own  shared (MB)');
  for (const r of rows) {
    const head = `${r.name.padEnd(34)} ${r.kind.padEnd(12)} ${String(r.packages).padStart(5)}`;
    console.log(`${head} ${mb(r.totalMB)}${mb(r.ownMB)}${mb(r.sharedMB)}`);
  }
  console.log(`${bytes.size} packages reached from package.json, ${all.toFixed(1)} MB`);
}
