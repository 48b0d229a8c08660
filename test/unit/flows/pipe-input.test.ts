import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { prepareLocalData } from '../../../client/pipeline/training-set.js';
import { DEFAULT_ENCODER_FIT } from '../../../shared/encoding/fit-encoder.js';
import { PIPE_REPLAY_BYTES } from '../../../shared/flows/file-bytes.js';
import { openFlows } from '../../../shared/flows/readers.js';
import { FlowFormatError } from '../../../shared/flows/schema.js';
import { FixtureDir, readAll } from './fixtures.js';
import { connValues, zeekTsv } from './zeek-fixtures.js';

/** A named pipe in `dir` with `content` written into it once a reader opens it. */
function pipeOf(dir: FixtureDir, name: string, content: string | Buffer): string {
  const path = join(dir.path, name);
  execFileSync('mkfifo', [path]);
  // Opening a pipe for writing waits for its reader; the write then blocks until it reads.
  createWriteStream(path).end(content);
  return path;
}

const rowsOf = async (file: string) =>
  (await readAll(await openFlows(file, 'zeek'))).map((row) => [row.line, row.values]);

describe('flows from a pipe (stdin, a named pipe), read once', () => {
  const dir = new FixtureDir();
  after(() => dir.remove());
  const tsv = zeekTsv([connValues(), connValues({ proto: 'udp', 'id.resp_p': '53' })]);

  it('reads a pipe as it reads the file, though the reader opens it three times (probe, header, rows)', async () => {
    const plain = dir.write('conn.log', tsv);
    const rows = await rowsOf(pipeOf(dir, 'conn.pipe', tsv));

    expect(rows).to.have.length(2);
    expect(rows).to.deep.equal(await rowsOf(plain));
  });

  it('reads a gzip stream through a pipe', async () => {
    const rows = await rowsOf(pipeOf(dir, 'gz.pipe', gzipSync(tsv)));

    expect(rows.map(([line]) => line)).to.deep.equal([9, 10]);
  });

  it("gives local training a pipe longer than the bytes it keeps: training's data reads its rows once", async function () {
    this.timeout(30_000);
    const record = connValues();
    const count = Math.ceil(PIPE_REPLAY_BYTES / record.join('\t').length) + 1000;
    const long = zeekTsv(
      Array.from({ length: count }, (_, i) => (i % 2 ? record : connValues({ proto: 'udp' }))),
    );
    const selection = { format: 'zeek' as const, onlyLabel: null, read: {} };
    const shares = { validation: 0.1, calibration: 0.1, seed: 1 };
    const piped = await prepareLocalData(
      { ...selection, files: [pipeOf(dir, 'train.pipe', long)] },
      DEFAULT_ENCODER_FIT,
      shares,
    );
    const filed = await prepareLocalData(
      { ...selection, files: [dir.write('train.log', long)] },
      DEFAULT_ENCODER_FIT,
      shares,
    );

    expect(piped.summary.rowsUsed).to.equal(count);
    expect(piped.encoderSpec).to.deep.equal(filed.encoderSpec);
    expect(Array.from(piped.train.codes)).to.deep.equal(Array.from(filed.train.codes));
  });

  it('reads a pipe longer than the bytes it keeps to its end, and refuses a second pass naming the file', async function () {
    this.timeout(30_000);
    const record = connValues();
    const count = Math.ceil(PIPE_REPLAY_BYTES / record.join('\t').length) + 1000;
    const long = zeekTsv(Array.from({ length: count }, () => record));
    const source = await openFlows(pipeOf(dir, 'long.pipe', long), 'zeek');

    expect(await readAll(source)).to.have.length(count);
    const again = await readAll(source).catch((error: unknown) => error);
    expect(again).to.be.instanceOf(FlowFormatError);
    expect((again as Error).message).to.match(
      /long\.pipe: a pipe is read once, and this one was read past its first 16 MB already; a command that reads its flows twice \(fedflow client: the encoder round's sketch, then training\) needs a file$/,
    );
  });
});
