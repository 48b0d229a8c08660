import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { AuditEntry } from '../../shared/audit/audit-entry.js';
import { type AuditFields, AuditLogWriter } from '../../shared/audit/audit-log-writer.js';
import { keptPlaintext, payloadDirectory } from '../../shared/audit/plaintext-copies.js';
import { loadPrivateIdentity } from '../../shared/crypto/key-files.js';
import { decodeClientPayload, encodeClientPayload } from '../../shared/wire/payload-codec.js';
import { logEvents, runCli, startCli } from '../helpers/run-cli.js';

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
    // It says how the federation trains: the coordinator's defaults except what was asked.
    expect(r.stderr).to.match(/2 rounds of 1 local epoch per site; strategy fedavg/);
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

  it('leaves audit logs that verify offline, and detects each kind of tampering', async () => {
    const out = join(dir, 'sim');
    const clean = await runCli(['audit', 'verify', out, '--json', join(dir, 'audit.json')]);
    expect(clean.code, clean.stdout).to.equal(0);
    expect(clean.stdout).to.match(/OK: no errors/);
    const report = JSON.parse(readFileSync(join(dir, 'audit.json'), 'utf8'));
    expect(report.sites).to.have.length(2);
    expect(report.sites[0].messages).to.deep.equal({ sketch: 1, delta: 2, histogram: 1 });
    expect(report.sites[0].plaintextsChecked).to.equal(4);

    const egress = join(out, 'site-1', 'audit', 'egress.jsonl');
    const original = readFileSync(egress, 'utf8');
    const lines = original.trim().split('\n');
    const expectFinding = async (code: RegExp) => {
      const r = await runCli(['audit', 'verify', out]);
      expect(r.code, r.stdout).to.equal(1);
      expect(r.stdout).to.match(code);
    };
    try {
      writeFileSync(egress, original.replace('"bytes":', '"bytes":1')); // an altered size
      await expectFinding(/ERROR (bad-signature|chain-broken)/);
      writeFileSync(egress, `${[lines[0], ...lines.slice(2)].join('\n')}\n`); // an entry deleted
      await expectFinding(/ERROR (seq-gap|chain-broken)/);
      writeFileSync(egress, `${[lines[1], lines[0], ...lines.slice(2)].join('\n')}\n`); // reordered
      await expectFinding(/ERROR (seq-order|chain-broken|seq-gap)/);
    } finally {
      writeFileSync(egress, original);
    }
    const payloads = join(out, 'site-1', 'audit', 'payloads');
    const [first, second] = readdirSync(payloads).sort();
    const a = readFileSync(join(payloads, first!));
    const b = readFileSync(join(payloads, second!));
    writeFileSync(join(payloads, first!), b); // a swapped plaintext copy
    try {
      await expectFinding(/ERROR plaintext-mismatch/);
    } finally {
      writeFileSync(join(payloads, first!), a);
    }
    const ingress = join(out, 'coordinator', 'state', 'audit', 'ingress.jsonl');
    const ingressLines = readFileSync(ingress, 'utf8').trim().split('\n');
    writeFileSync(ingress, `${ingressLines.slice(0, -1).join('\n')}\n`); // the coordinator "lost" the last message
    await expectFinding(/ERROR missing-ingress/);
    writeFileSync(ingress, `${ingressLines.join('\n')}\n`);
  });

  it('fails the audit of a modified site that put raw records into its sketch, naming the value', async () => {
    // The modified site signs its own log honestly: its egress log and kept copy say what it
    // sent, a sketch whose proto values are raw NSL-KDD records.
    const record = '0,tcp,http,SF,181,5450,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,8,8,0.00,normal';
    const run = resignedSite1(join(dir, 'sim'), join(dir, 'smuggled'), (entry, kept) => {
      if (entry.type !== 'sketch' || !kept) return undefined;
      const sketch = decodeClientPayload(kept);
      if (sketch.kind !== 'sketch') throw new Error('expected the sketch');
      return encodeClientPayload({
        ...sketch,
        categorical: sketch.categorical.map((c) =>
          c.field === 'proto'
            ? { ...c, values: [...c.values, record], counts: [...c.counts, 5] }
            : c,
        ),
      });
    });
    const r = await runCli(['audit', 'verify', run]);
    expect(r.code, r.stdout).to.equal(1);
    expect(r.stdout).to.match(
      /ERROR payload-shape: .*categorical field proto value "0,tcp,http,SF,181,5450,0,0,0,0,0,1,0,0,\.\.\." \(70 characters\) is not one of tcp, udp, icmp/,
    );
  });

  it('trains by secure aggregation with --secure-aggregation, and its audit logs verify with the masked deltas and shares in them', async () => {
    const out = join(dir, 'secure');
    const r = await runCli([
      'simulate',
      ...['--clients', '3', '--rounds', '1', '--epochs', '1', '--flows', '2000'],
      '--secure-aggregation',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/strategy fedavg, no screening, .*secure aggregation/);
    for (const step of ['secagg-keys', 'secagg-shares', 'secagg-train', 'secagg-unmask'])
      expect(r.stdout).to.match(new RegExp(`1  ${step}\\s+closed\\s+3`));
    expect(r.stdout).to.match(/AUROC/);
    const audit = await runCli(['audit', 'verify', out]);
    expect(audit.code, audit.stdout).to.equal(0);
    expect(audit.stdout).to.match(/OK: no errors/);
    // Every message a site sent is in its egress log and was checked: sketch, the four steps, histogram.
    expect(audit.stdout).to.match(/site-1\s+[0-9a-f]{16}\s+1\s+0\s+1\s+1\s+1\s+1\s+1\s.*\s6\n/);

    // A modified site that appends a raw record's bytes to its masked delta is caught by shape.
    const record = new TextEncoder().encode('0,tcp,http,SF,181,5450,0,0,0,0,normal..');
    const smuggled = resignedSite1(out, join(dir, 'secure-smuggled'), (entry, kept) => {
      if (entry.type !== 'masked-delta' || !kept) return undefined;
      const payload = decodeClientPayload(kept);
      if (payload.kind !== 'masked-delta') throw new Error('expected the masked delta');
      const extra = new Uint32Array(record.buffer.slice(0, record.length - (record.length % 4)));
      const masked = new Uint32Array([...payload.masked, ...extra]);
      return encodeClientPayload({ ...payload, masked });
    });
    const caught = await runCli(['audit', 'verify', smuggled]);
    expect(caught.code, caught.stdout).to.equal(1);
    expect(caught.stdout).to.match(
      /ERROR payload-shape: .*masked delta has \d+ words, model v1 needs \d+/,
    );
  });

  it('runs again into the same --out, replacing the earlier simulation, with --quiet reaching every process, and refuses a directory it did not make', async () => {
    const out = join(dir, 'sim');
    const small = ['--clients', '2', '--rounds', '1', '--epochs', '1', '--flows', '2000'];
    // --quiet reaches the coordinator and the sites it starts: their logs keep warnings only.
    const again = await runCli(['--quiet', 'simulate', ...small, '--out', out]);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.match(/AUROC/);
    for (const party of ['coordinator', 'site-1', 'site-2'])
      for (const event of logEvents(readFileSync(join(out, party, 'log.txt'), 'utf8')))
        expect(event.level, `${party}: ${event.msg}`).to.be.at.least(40);
    const audit = await runCli(['audit', 'verify', out]);
    expect(audit.code, audit.stdout).to.equal(0);

    const mine = join(dir, 'mine');
    cpSync(join(out, 'data'), mine, { recursive: true });
    const refused = await runCli(['simulate', ...small, '--out', mine]);
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.include(
      `--out ${mine} is not empty and holds no earlier simulation; choose an empty or new directory`,
    );
    expect(readdirSync(mine)).to.deep.equal(readdirSync(join(out, 'data')));
    const file = join(dir, 'a-file');
    writeFileSync(file, 'kept');
    const notDir = await runCli(['simulate', ...small, '--out', file]);
    expect(notDir.stderr).to.include(`--out ${file} is a file, not a directory`);
    expect(readFileSync(file, 'utf8')).to.equal('kept');
  });

  it('keeps the coordinator and its dashboard up after the run when asked, until Ctrl-C', async () => {
    const child = startCli([
      'simulate',
      '--clients',
      '2',
      '--rounds',
      '1',
      '--epochs',
      '1',
      '--flows',
      '3000',
      '--keep-dashboard',
    ]);
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.stdout.resume();
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const until = Date.now() + 240_000;
    while (!err.includes('the dashboard stays up')) {
      if (Date.now() > until || child.exitCode !== null) throw new Error(`no stay:\n${err}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const dashboard = logEvents(err).find((e) => e.msg.startsWith('dashboard'))!;
    const url = /http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+)/.exec(dashboard.msg)!;
    const status = await fetch(`http://127.0.0.1:${url[1]}/api/status?token=${url[2]}`);
    expect(status.status).to.equal(200);
    expect(((await status.json()) as { phase: string }).phase).to.equal('done');

    child.kill('SIGINT');
    expect(await exit).to.equal(0);
    let refused = false;
    await fetch(`http://127.0.0.1:${url[1]}/api/status?token=${url[2]}`).catch(() => {
      refused = true;
    });
    expect(refused, 'the coordinator stopped with the simulation').to.equal(true);
  });
});

/**
 * A copy of the simulation in `source` at `run` whose site-1 egress log is written again and
 * signed with site-1's own key, each kept payload replaced by what `modify` returns (when it
 * returns one): a modified site that logs what it really sent.
 */
function resignedSite1(
  source: string,
  run: string,
  modify: (entry: AuditEntry, kept: Uint8Array | null) => Uint8Array | undefined,
): string {
  cpSync(source, run, { recursive: true });
  const egress = join(run, 'site-1', 'audit', 'egress.jsonl');
  const entries = readFileSync(egress, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as AuditEntry);
  rmSync(egress);
  rmSync(payloadDirectory(egress), { recursive: true, force: true });
  const site = loadPrivateIdentity(join(run, 'site-1', 'keys', 'site-1.private.json'));
  const writer = AuditLogWriter.open(egress, site, 'egress', { keepPlaintext: true });
  for (const entry of entries) {
    const kept = keptPlaintext(join(source, 'site-1', 'audit', 'egress.jsonl'), entry);
    const plaintext = modify(entry, kept) ?? kept ?? undefined;
    const { peer, type, round, taskId, bytes, sealedSha256, outcome } = entry;
    const fields: AuditFields = {
      peer,
      type,
      round,
      taskId,
      bytes,
      sealedSha256,
      outcome,
      ...(entry.reason === undefined ? {} : { reason: entry.reason }),
      ...(entry.receipt === undefined ? {} : { receipt: entry.receipt }),
      ...(plaintext ? {} : { plaintextSha256: entry.plaintextSha256 }),
    };
    writer.append(fields, plaintext);
  }
  return run;
}
