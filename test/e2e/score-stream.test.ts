import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { runCli, startCli } from '../helpers/run-cli.js';

describe('fedflow score on a live pipe: flows scored as they come, a clean stop on SIGTERM', function () {
  this.timeout(120_000);
  let dir: string;
  const file = (name: string) => join(dir, name);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-stream-'));
    const synth = ['synth', '--flows', '3000', '--seed', '5', '--out', file('flows.log')];
    expect((await runCli(synth)).code).to.equal(0);
    const train = ['train', '--data', file('flows.log'), '--format', 'zeek', '--epochs', '1'];
    const trained = await runCli([...train, '--out', file('model')]);
    expect(trained.code, trained.stderr).to.equal(0);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the lines of a few flows while the pipe stays open, then on SIGTERM ends with exit 0 and says so', async () => {
    const log = readFileSync(file('flows.log'), 'utf8').split('\n');
    const header = log.filter((line) => line.startsWith('#'));
    const rows = log.filter((line) => line !== '' && !line.startsWith('#')).slice(0, 3);
    const child = startCli([
      'score',
      ...['--model', file('model'), '--data', '-', '--format', 'zeek', '--out', '-'],
    ]);
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const exited = once(child, 'close');
    child.stdin.write(`${[...header, ...rows].join('\n')}\n`);
    // Three flows are far from a batch: only the unfilled batch's timer sends them.
    for await (const chunk of child.stdout) {
      stdout += chunk;
      if (stdout.split('\n').length > rows.length) break;
    }
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.line)).to.deep.equal([
      header.length + 1,
      header.length + 2,
      header.length + 3,
    ]);

    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code, stderr).to.equal(0);
    expect(stderr).to.match(/stopped on SIGTERM: scored 3 flows/);
  });
});
