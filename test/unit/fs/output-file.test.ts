import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { streamOutputFile } from '../../../shared/fs/output-file.js';

/** Writes `chunks` chunks of 1 MB of `fill`, pausing now and then so background flushes run. */
async function writeMegabytes(out: Writable, chunks: number, fill: number): Promise<void> {
  const chunk = Buffer.alloc(1 << 20, fill);
  for (let i = 0; i < chunks; i++) {
    if (!out.write(chunk)) await once(out, 'drain');
    if (i % 8 === 7) await sleep(60);
  }
}

describe('streaming an output file', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fedflow-output-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces the file whole with everything written, flushed to disk along the way', async () => {
    const path = join(dir, 'alerts.jsonl');
    writeFileSync(path, 'old');
    const result = await streamOutputFile(path, async (out) => {
      await writeMegabytes(out, 40, 0x61);
      return 'done';
    });
    expect(result).to.equal('done');
    expect(statSync(path).size).to.equal(40 << 20);
    const bytes = readFileSync(path);
    expect(bytes.every((b) => b === 0x61)).to.equal(true);
    expect(readdirSync(dir)).to.deep.equal(['alerts.jsonl']);
  });

  it('leaves the old file and no temp file when writing fails midway', async () => {
    const path = join(dir, 'alerts.jsonl');
    writeFileSync(path, 'old');
    const failing = streamOutputFile(path, async (out) => {
      await writeMegabytes(out, 24, 0x62);
      throw new Error('model failed');
    });
    await failing.then(
      () => expect.fail('should have failed'),
      (error: Error) => expect(error.message).to.equal('model failed'),
    );
    expect(readFileSync(path, 'utf8')).to.equal('old');
    expect(readdirSync(dir)).to.deep.equal(['alerts.jsonl']);
  });

  it('leaves no temp file when writing fails before the file has even opened', async () => {
    const path = join(dir, 'alerts.jsonl');
    for (let i = 0; i < 20; i++) {
      await streamOutputFile(path, async () => {
        throw new Error('the data file is missing');
      }).catch(() => {});
      expect(readdirSync(dir), `attempt ${i}`).to.deep.equal([]);
    }
  });
});
