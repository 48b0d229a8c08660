import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { runCli } from '../helpers/run-cli.js';

describe('fedflow simulate', function () {
  this.timeout(300_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-sim-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a coordinator and clients as processes and leaves a usable model and every site state', async () => {
    const out = join(dir, 'sim');
    const r = await runCli([
      'simulate',
      '--clients',
      '2',
      '--rounds',
      '2',
      '--epochs',
      '1',
      '--flows',
      '4000',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/round\s+task\s+outcome/);
    expect(r.stdout).to.match(/AUROC/);
    for (const line of ['0  sketch', '1  train', '2  train', '3  calibrate'])
      expect(r.stdout).to.include(line);
    expect(existsSync(join(out, 'coordinator', 'state', 'state.json'))).to.equal(true);
    for (const site of ['site-1', 'site-2']) {
      const keys = readdirSync(join(out, site, 'keys'));
      expect(keys).to.include(`${site}.private.json`);
      expect(statSync(join(out, site, 'keys', `${site}.private.json`)).mode & 0o777).to.equal(
        0o600,
      );
      expect(existsSync(join(out, site, 'log.txt'))).to.equal(true);
      expect(existsSync(join(out, site, 'model', 'integrity.json'))).to.equal(true);
    }
    const scored = await runCli([
      'score',
      '--model',
      join(out, 'model'),
      '--data',
      join(out, 'data', 'test-web.conn.log'),
      '--format',
      'zeek',
      '--out',
      join(dir, 'alerts.jsonl'),
    ]);
    expect(scored.code, scored.stderr).to.equal(0);
    expect(scored.stderr).to.match(/scored 10000 flows/);
  });
});
