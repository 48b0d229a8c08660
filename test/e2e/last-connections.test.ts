import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { runCli } from '../helpers/run-cli.js';

describe("a model trained with each host's last-N window: score and calibrate derive it unasked", function () {
  this.timeout(240_000);
  let dir: string;
  const file = (name: string) => join(dir, name);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-last-n-'));
    for (const [name, seed, share] of [
      ['train.log', '1', '0'],
      ['test.log', '2', '0.05'],
    ] as const) {
      const synth = ['synth', '--flows', '4000', '--seed', seed, '--attack-share', share];
      const r = await runCli([...synth, '--out', file(name)]);
      expect(r.code, r.stderr).to.equal(0);
    }
    writeFileSync(file('config.json'), JSON.stringify({ input: { lastConnections: 50 } }));
    const train = ['train', '--data', file('train.log'), '--format', 'zeek', '--epochs', '2'];
    const trained = await runCli([
      ...train,
      '--config',
      file('config.json'),
      '--out',
      file('model'),
    ]);
    expect(trained.code, trained.stderr).to.equal(0);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("records the window in the model's fields", () => {
    const spec = JSON.parse(readFileSync(file('model/model.json'), 'utf8'));
    const names: string[] = spec.schema.fields.map((f: { name: string }) => f.name);
    expect(names).to.include.members([
      'src_last50_span',
      'src_last50_dst_ports',
      'dst_last50_span',
    ]);
  });

  it('scores every flow without the setting, deriving what the model was trained with', async () => {
    const out = file('alerts.jsonl');
    const score = ['score', '--model', file('model'), '--data', file('test.log')];
    const r = await runCli([...score, '--format', 'zeek', '--out', out]);
    expect(r.code, r.stderr).to.equal(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).to.have.length(4000);
  });

  it('re-places thresholds on the site’s normals with the same window', async () => {
    const calibrate = ['calibrate', '--model', file('model'), '--data', file('test.log')];
    const r = await runCli([
      ...calibrate,
      '--format',
      'zeek',
      '--only-label',
      'normal',
      '--out',
      file('calibrated'),
    ]);
    expect(r.code, r.stderr).to.equal(0);
  });
});
