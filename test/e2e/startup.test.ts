import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { runCli } from '../helpers/run-cli.js';

const probe = join(dirname(fileURLToPath(import.meta.url)), '..', 'helpers', 'module-probe.mjs');

describe('fedflow start-up: help loads the command definitions, not their work', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-startup-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The packages (node_modules/<name>) whose CommonJS modules a run of the program loaded. */
  async function packagesLoaded(args: string[]) {
    const out = join(dir, `${args.join('_').replace(/[^\w]/g, '')}.txt`);
    const result = await runCli(args, {
      NODE_OPTIONS: `--import=${probe}`,
      MODULE_PROBE_OUT: out,
    });
    const names = readFileSync(out, 'utf8')
      .split('\n')
      .map((path) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1])
      .filter((name): name is string => name !== undefined);
    return { result, packages: new Set(names) };
  }

  for (const args of [['--help'], ['score', '--help'], ['train', '--help'], ['keys', '--help']]) {
    it(`loads no TensorFlow.js package for fedflow ${args.join(' ')}`, async () => {
      const { result, packages } = await packagesLoaded(args);
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.match(/^Usage: fedflow/);
      expect(packages).to.include('commander');
      expect([...packages].filter((name) => name.startsWith('@tensorflow/'))).to.deep.equal([]);
    });
  }

  it('does load TensorFlow.js once a command that runs a model starts its work (the check can see it)', async () => {
    const missing = join(dir, 'no-such-model');
    const args = ['score', '--model', missing, '--data', missing, '--format', 'nsl-kdd'];
    const { result, packages } = await packagesLoaded([...args, '--out', join(dir, 'a.jsonl')]);
    expect(result.code).to.equal(1);
    expect(packages).to.include('@tensorflow/tfjs-core');
  });
});
