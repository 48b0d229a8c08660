/**
 * `npm run native:verify`: checks the native TensorFlow backend with a real fedflow run: trains a
 * small model on synthetic flows with FEDFLOW_BACKEND=tensorflow, then scores the same flows with
 * the same model on the native and the WebAssembly backends and requires the scores to agree. A
 * binding that loads but computes wrong (a C library whose kernels differ) fails here.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'dist', 'cli', 'fedflow.js');
// Scores are written with 4 decimals; the two backends' float32 sums differ in the last bits.
const TOLERANCE = 1e-3;
const dir = mkdtempSync(join(tmpdir(), 'fedflow-native-'));

function fedflow(backend, args) {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [cli, ...args], {
    env: backend ? { ...process.env, FEDFLOW_BACKEND: backend } : process.env,
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    process.stderr.write(run.stderr);
    fail(
      `'fedflow ${args[0]}' ${backend ? `on the ${backend} backend ` : ''}exited with ${run.status ?? run.signal}`,
    );
  }
  if (backend && !run.stderr.includes(`TensorFlow.js backend: ${backend} `)) {
    process.stderr.write(run.stderr);
    fail(`'fedflow ${args[0]}' did not run on the ${backend} backend`);
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function fail(message) {
  rmSync(dir, { recursive: true, force: true });
  process.stderr.write(`native:verify: FAILED: ${message}\n`);
  process.exit(1);
}

function scores(file) {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line).score);
}

const flows = join(dir, 'flows.log');
const model = join(dir, 'model');
fedflow(null, ['synth', '--flows', '3000', '--seed', '7', '--out', flows]);
const trainSeconds = fedflow('tensorflow', [
  'train',
  '--data',
  flows,
  '--format',
  'zeek',
  '--epochs',
  '2',
  '--seed',
  '7',
  '--out',
  model,
]);
for (const backend of ['tensorflow', 'wasm']) {
  fedflow(backend, [
    'score',
    '--model',
    model,
    '--data',
    flows,
    '--format',
    'zeek',
    '--out',
    join(dir, `${backend}.jsonl`),
  ]);
}
const native = scores(join(dir, 'tensorflow.jsonl'));
const wasm = scores(join(dir, 'wasm.jsonl'));
if (native.length !== 3000 || wasm.length !== 3000) {
  fail(`expected 3000 scores from each backend, got ${native.length} and ${wasm.length}`);
}
let worst = 0;
for (let i = 0; i < native.length; i++) worst = Math.max(worst, Math.abs(native[i] - wasm[i]));
if (!(worst <= TOLERANCE)) {
  fail(`native and wasm scores differ by up to ${worst} nats (allowed ${TOLERANCE})`);
}
rmSync(dir, { recursive: true, force: true });
process.stderr.write(
  `native:verify: ok: trained on the tensorflow backend in ${trainSeconds.toFixed(1)} s; its 3000 scores match wasm within ${worst.toExponential(1)} nats\n`,
);
