import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import {
  type ByteChunk,
  CHUNK_BYTES,
  ChunkAssembler,
  sha256,
  splitIntoChunks,
} from '../../../shared/wire/chunks.js';
import { WireError } from '../../../shared/wire/errors.js';

const MiB = 1024 * 1024;

function assemble(chunks: readonly ByteChunk[], maxTotalBytes = 64 * MiB): Uint8Array {
  const assembler = new ChunkAssembler({ maxTotalBytes });
  for (const chunk of chunks) assembler.accept(chunk);
  return assembler.finish();
}

function expectWireError(run: () => unknown, message: string | RegExp, code = 'invalid-argument') {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(WireError);
    expect((error as WireError).code).to.equal(code);
    if (typeof message === 'string') expect((error as Error).message).to.contain(message);
    else expect((error as Error).message).to.match(message);
    return;
  }
  expect.fail(`expected a WireError matching ${message}`);
}

describe('splitIntoChunks and ChunkAssembler', () => {
  it('round-trips 50 MB in 1 MiB chunks', function () {
    this.timeout(10_000);
    const bytes = randomBytes(50_000_000);

    const started = performance.now();
    const chunks = splitIntoChunks(bytes);
    const reassembled = assemble(chunks);
    const elapsedMs = performance.now() - started;

    expect(chunks).to.have.length(Math.ceil(50_000_000 / CHUNK_BYTES));
    expect(chunks.every((chunk) => chunk.data.length <= CHUNK_BYTES)).to.equal(true);
    expect(Buffer.from(reassembled).equals(bytes)).to.equal(true);
    expect(elapsedMs).to.be.below(3000);
  });

  it('puts the digest of the whole on the last chunk only', () => {
    const bytes = randomBytes(10);

    const chunks = splitIntoChunks(bytes, 4);

    expect(chunks.map((chunk) => [chunk.index, chunk.total, chunk.data.length])).to.deep.equal([
      [0, 3, 4],
      [1, 3, 4],
      [2, 3, 2],
    ]);
    expect(chunks[0]!.sha256).to.have.length(0);
    expect(chunks[1]!.sha256).to.have.length(0);
    expect(Buffer.from(chunks[2]!.sha256).equals(sha256(bytes))).to.equal(true);
  });

  it('sends an empty byte string as one empty chunk with its digest', () => {
    const chunks = splitIntoChunks(new Uint8Array(0));

    expect(chunks).to.have.length(1);
    expect(assemble(chunks)).to.have.length(0);
  });

  it('rejects reordered chunks, naming the expected and the received index', () => {
    const chunks = splitIntoChunks(randomBytes(70), 10);

    expectWireError(
      () => assemble([chunks[0]!, chunks[1]!, chunks[2]!, chunks[5]!]),
      'expected chunk index 3 of 7, got 5',
    );
  });

  it('rejects a duplicated chunk', () => {
    const chunks = splitIntoChunks(randomBytes(70), 10);

    expectWireError(
      () => assemble([chunks[0]!, chunks[1]!, chunks[1]!]),
      'expected chunk index 2 of 7, got 1 (a repeat)',
    );
  });

  it('rejects a stream that ends before the last chunk', () => {
    const chunks = splitIntoChunks(randomBytes(70), 10);

    expectWireError(() => assemble(chunks.slice(0, 5)), 'expected 7 chunks, got 5');
    expectWireError(() => assemble([]), 'expected at least 1 chunk, got none');
  });

  it('rejects a chunk after the last one', () => {
    const chunks = splitIntoChunks(randomBytes(20), 10);

    expectWireError(() => assemble([...chunks, chunks[1]!]), 'after the last of 2 chunks');
  });

  it('rejects chunks that disagree on the chunk count', () => {
    const chunks = splitIntoChunks(randomBytes(30), 10);

    expectWireError(
      () => assemble([chunks[0]!, { ...chunks[1]!, total: 4 }]),
      'chunk index 1 says 4 chunks, earlier ones said 3',
    );
  });

  it('refuses more bytes than the limit as soon as they arrive', () => {
    const chunks = splitIntoChunks(randomBytes(5 * MiB));
    const assembler = new ChunkAssembler({ maxTotalBytes: 2.5 * MiB });

    assembler.accept(chunks[0]!);
    assembler.accept(chunks[1]!);

    expectWireError(
      () => assembler.accept(chunks[2]!),
      `payload exceeds the limit of ${2.5 * MiB} bytes (${3 * MiB} received so far)`,
      'resource-exhausted',
    );
  });

  it('refuses up front a payload announced larger than the limit', () => {
    expectWireError(
      () => new ChunkAssembler({ maxTotalBytes: 100, expectedTotalBytes: 101 }),
      'payload of 101 bytes exceeds the limit of 100 bytes',
      'resource-exhausted',
    );
  });

  it('rejects chunks whose bytes do not match the digest', () => {
    const chunks = splitIntoChunks(randomBytes(30), 10);
    const tampered = Uint8Array.from(chunks[1]!.data);
    tampered[0]! ^= 0xff;

    expectWireError(
      () => assemble([chunks[0]!, { ...chunks[1]!, data: tampered }, chunks[2]!]),
      /^SHA-256 mismatch: chunks hash to [0-9a-f]{64}, sender said [0-9a-f]{64}$/,
    );
  });

  it('refuses everything after rejecting a chunk', () => {
    const chunks = splitIntoChunks(randomBytes(30), 10);
    const assembler = new ChunkAssembler({ maxTotalBytes: 100 });
    assembler.accept(chunks[0]!);
    expect(() => assembler.accept(chunks[2]!)).to.throw(WireError);

    expectWireError(() => assembler.accept(chunks[1]!), 'already rejected');
    expectWireError(() => assembler.finish(), 'already rejected');
  });

  it('rejects a last chunk without a digest', () => {
    const [only] = splitIntoChunks(randomBytes(8));

    expectWireError(
      () => assemble([{ ...only!, sha256: new Uint8Array(0) }]),
      'expected a 32-byte SHA-256 on the last chunk, got 0 bytes',
    );
  });

  it('rejects a total that differs from the announced one', () => {
    const chunks = splitIntoChunks(randomBytes(30), 10);
    const assembler = new ChunkAssembler({ maxTotalBytes: 100, expectedTotalBytes: 20 });

    assembler.accept(chunks[0]!);
    assembler.accept(chunks[1]!);

    expectWireError(() => assembler.accept(chunks[2]!), 'expected 20 bytes, got at least 30');
  });

  it('rejects a digest that differs from the announced one', () => {
    const chunks = splitIntoChunks(randomBytes(30), 10);
    const assembler = new ChunkAssembler({
      maxTotalBytes: 100,
      expectedSha256: sha256(randomBytes(30)),
    });

    assembler.accept(chunks[0]!);
    assembler.accept(chunks[1]!);

    expectWireError(() => assembler.accept(chunks[2]!), 'differs from the one announced');
  });
});
