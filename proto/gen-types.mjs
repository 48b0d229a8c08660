// Generates the TypeScript types of the wire contract (shared/wire/generated) from proto/.
// With --check it generates into a temporary directory instead and fails, naming each stale
// file, when the checked-in types differ from the generator's raw output.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const protoDir = join(repoRoot, 'proto');
const generatedDir = join(repoRoot, 'shared', 'wire', 'generated');
// federation.proto imports payloads.proto, so its ProtoGrpcType covers every message; naming
// payloads.proto too would add a service-less entry file that fails noUnusedLocals.
const protoFiles = ['fedflow/v1/federation.proto'];

// Must agree with the loader options in shared/wire/proto-loader.ts (keepCase stays false).
const generatorOptions = [
  '--longs=Number',
  '--enums=String',
  '--defaults',
  '--oneofs',
  '--includeComments',
  '--grpcLib=@grpc/grpc-js',
  '--importFileExtension=.js',
];

const generatorBin = createRequire(import.meta.url).resolve(
  '@grpc/proto-loader/build/bin/proto-loader-gen-types.js',
);

/** Runs the generator into outDir; exits the process if it fails. */
function generate(outDir) {
  const result = spawnSync(
    process.execPath,
    [generatorBin, ...generatorOptions, '--includeDirs=.', `--outDir=${outDir}`, ...protoFiles],
    // Run from proto/ with a relative include path: the generator writes each source path into
    // its output, which must not depend on where the repository is checked out.
    { cwd: protoDir, stdio: 'inherit' },
  );
  if (result.status !== 0) {
    console.error(`proto-loader-gen-types failed (exit code ${result.status})`);
    process.exit(1);
  }
}

/** Relative paths of every file under dir, sorted; empty when dir does not exist. */
function listFiles(dir) {
  try {
    return (
      readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        // parentPath arrived in Node 20.12; earlier 20.x name it path.
        .map((entry) => relative(dir, join(entry.parentPath ?? entry.path, entry.name)))
        .sort()
    );
  } catch (error) {
    if (error.code === 'ENOENT') return [];
    throw error;
  }
}

/** Files that differ between the fresh and the checked-in generation, with the reason. */
function staleFiles(freshDir, checkedInDir) {
  const fresh = listFiles(freshDir);
  const checkedIn = new Set(listFiles(checkedInDir));
  const stale = [];
  for (const file of fresh) {
    if (!checkedIn.has(file)) stale.push(`${file} (missing)`);
    else if (!readFileSync(join(freshDir, file)).equals(readFileSync(join(checkedInDir, file)))) {
      stale.push(`${file} (differs)`);
    }
    checkedIn.delete(file);
  }
  for (const file of checkedIn) stale.push(`${file} (no longer generated)`);
  return stale;
}

if (process.argv.includes('--check')) {
  const freshDir = mkdtempSync(join(tmpdir(), 'fedflow-proto-'));
  try {
    generate(freshDir);
    const stale = staleFiles(freshDir, generatedDir);
    if (stale.length > 0) {
      const where = relative(repoRoot, generatedDir);
      console.error(`Generated wire types in ${where} are stale; run \`npm run proto:gen\`:`);
      for (const line of stale) console.error(`  ${line}`);
      process.exitCode = 1;
    } else {
      console.log('Generated wire types are up to date.');
    }
  } finally {
    rmSync(freshDir, { recursive: true, force: true });
  }
} else {
  rmSync(generatedDir, { recursive: true, force: true });
  generate(generatedDir);
}
