import { once } from 'node:events';
import {
  appendFileSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { runCli, startCli } from '../helpers/run-cli.js';

/** Polls `check` until it holds (the program works in the background), or fails after `ms`. */
async function until(what: string, check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('fedflow score --follow: a growing log, rotated, stopped and resumed', function () {
  this.timeout(180_000);
  let dir: string;
  const file = (name: string) => join(dir, name);
  let header: string[];
  let rows: string[];
  /** The uid column of each row (the second): what an alert line's flow.uid must say. */
  const uid = (row: string) => row.split('\t')[1]!;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-follow-'));
    const synth = await runCli([
      'synth',
      '--flows',
      '3000',
      '--seed',
      '6',
      '--out',
      file('all.log'),
    ]);
    expect(synth.code).to.equal(0);
    const lines = readFileSync(file('all.log'), 'utf8').split('\n');
    header = lines.filter((l) => l.startsWith('#') && !l.startsWith('#close'));
    rows = lines.filter((l) => l !== '' && !l.startsWith('#'));
    const train = ['train', '--data', file('all.log'), '--format', 'zeek', '--epochs', '1'];
    expect((await runCli([...train, '--out', file('model')])).code).to.equal(0);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const follow = () =>
    startCli([
      'score',
      ...['--model', file('model'), '--data', file('conn.log'), '--format', 'zeek'],
      ...['--follow', '--state', file('state.json'), '--out', file('alerts.jsonl')],
    ]);
  const alerted = () =>
    readFileSync(file('alerts.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { file: string; line: number; flow: { uid: string } });
  const stopped = async (child: ReturnType<typeof follow>) => {
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.kill('SIGTERM');
    const [code] = await once(child, 'close');
    return { code, stderr };
  };

  it('scores lines as they are appended, across a rename and a truncation, and resumes after restarts, a rotation while stopped too, with none twice and none skipped', async () => {
    writeFileSync(file('conn.log'), `${[...header, ...rows.slice(0, 3)].join('\n')}\n`);
    writeFileSync(file('alerts.jsonl'), '');
    let child = follow();
    await until('the first 3 flows', () => alerted().length === 3);

    appendFileSync(file('conn.log'), `${rows.slice(3, 5).join('\n')}\n`);
    await until('2 appended flows', () => alerted().length === 5);

    // Rotation by rename: the old file is kept aside, a new one starts with its own header.
    renameSync(file('conn.log'), file('conn.1.log'));
    writeFileSync(file('conn.log'), `${[...header, ...rows.slice(5, 7)].join('\n')}\n`);
    await until('the new file after a rename', () => alerted().length === 7);

    // Rotation by truncation (copytruncate): the same file, shorter, written anew.
    writeFileSync(file('conn.log'), `${[...header, rows[7]!].join('\n')}\n`);
    await until('the file after a truncation', () => alerted().length === 8);

    let end = await stopped(child);
    expect(end.code, end.stderr).to.equal(0);
    expect(end.stderr).to.match(/stopped on SIGTERM/);

    // While stopped, the log grows; a restart scores only what it had not.
    appendFileSync(file('conn.log'), `${rows.slice(8, 10).join('\n')}\n`);
    child = follow();
    await until('the flows written while stopped', () => alerted().length === 10);
    end = await stopped(child);
    expect(end.code, end.stderr).to.equal(0);

    // Rotated while stopped: the old file got 2 more rows, then was renamed; the new has 2.
    appendFileSync(file('conn.log'), `${rows.slice(10, 12).join('\n')}\n`);
    renameSync(file('conn.log'), file('conn.2.log'));
    writeFileSync(file('conn.log'), `${[...header, ...rows.slice(12, 14)].join('\n')}\n`);
    child = follow();
    await until('the rest of the rotated file, then the new one', () => alerted().length === 14);
    end = await stopped(child);
    expect(end.code, end.stderr).to.equal(0);
    expect(end.stderr).to.include(`scoring the rest of ${file('conn.2.log')} first`);

    const lines = alerted();
    expect(lines.map((l) => l.flow.uid)).to.deep.equal(rows.slice(0, 14).map(uid));
    // The rest of the file rotated while stopped is named as what it is now.
    expect(lines.slice(10, 12).map((l) => l.file)).to.deep.equal([
      file('conn.2.log'),
      file('conn.2.log'),
    ]);
    expect(lines.slice(12).map((l) => l.file)).to.deep.equal([file('conn.log'), file('conn.log')]);
    // Each file's lines are numbered from its own first line.
    const first = header.length + 1;
    expect(lines.map((l) => l.line)).to.deep.equal([
      first,
      first + 1,
      first + 2,
      first + 3,
      first + 4,
      first,
      first + 1,
      first,
      first + 1,
      first + 2,
      first + 3,
      first + 4,
      first,
      first + 1,
    ]);
  });

  it('refuses --follow on more than one file or on standard input, and --state without --follow', async () => {
    const score = ['score', '--model', file('model'), '--format', 'zeek', '--out', '-'];
    const two = await runCli([...score, '--data', file('all.log'), file('all.log'), '--follow']);
    const stdin = await runCli([...score, '--data', '-', '--follow']);
    const state = await runCli([...score, '--data', file('all.log'), '--state', file('s.json')]);

    for (const r of [two, stdin])
      expect(r.stderr).to.include(
        '--follow follows one log file: give exactly one --data FILE (not -)',
      );
    expect(state.stderr).to.include('--state saves where --follow got to: give --follow too');
    expect([two.code, stdin.code, state.code]).to.deep.equal([1, 1, 1]);
  });
});
