/**
 * Splitting a byte string into messages small enough for gRPC's default 4 MiB limit, and
 * reassembling them with every check a receiver needs: order, completeness, size and digest.
 */
import { createHash } from 'node:crypto';
import { WireError } from './errors.js';

/** Default chunk size: 1 MiB leaves ample room under gRPC's 4 MiB message limit. */
export const CHUNK_BYTES = 1024 * 1024;

/** Length of a SHA-256 digest in bytes. */
export const SHA256_BYTES = 32;

/** One piece of a byte string; structurally the proto `Chunk` message. */
export interface ByteChunk {
  /** Position from 0. */
  readonly index: number;
  /** Number of chunks of the whole byte string. */
  readonly total: number;
  readonly data: Uint8Array;
  /** SHA-256 of the whole byte string on the last chunk; empty on the others. */
  readonly sha256: Uint8Array;
}

/** SHA-256 of a byte string. */
export function sha256(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes).digest();
}

/**
 * Splits bytes into chunks of at most chunkBytes (views, not copies). An empty byte string
 * is one empty chunk, so the receiver always gets a last chunk carrying the digest.
 *
 * @example for (const chunk of splitIntoChunks(signedRelease)) await writeMessage(call, chunk);
 */
export function splitIntoChunks(bytes: Uint8Array, chunkBytes = CHUNK_BYTES): ByteChunk[] {
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1) {
    throw new RangeError(`chunk size must be a positive integer, got ${chunkBytes}`);
  }
  const total = Math.max(1, Math.ceil(bytes.length / chunkBytes));
  const digest = sha256(bytes);
  const chunks: ByteChunk[] = [];
  for (let index = 0; index < total; index++) {
    const data = bytes.subarray(index * chunkBytes, (index + 1) * chunkBytes);
    const isLast = index === total - 1;
    chunks.push({ index, total, data, sha256: isLast ? digest : new Uint8Array(0) });
  }
  return chunks;
}

/** Limits and expectations of one reassembly. */
export interface ChunkAssemblerOptions {
  /** Largest byte string accepted; more is refused as soon as it arrives. */
  readonly maxTotalBytes: number;
  /** Exact length announced beforehand (e.g. in a SubmitHeader), if any. */
  readonly expectedTotalBytes?: number;
  /** Digest announced beforehand, if any; the last chunk's digest must equal it. */
  readonly expectedSha256?: Uint8Array;
}

/**
 * Reassembles chunks that must arrive in index order, throwing a WireError at the first
 * chunk that breaks the contract; after that it refuses everything. Feed every chunk to
 * `accept`, then call `finish`.
 *
 * @example
 * const assembler = new ChunkAssembler({ maxTotalBytes: 64 * 1024 * 1024 });
 * for await (const chunk of stream) assembler.accept(chunk);
 * const bytes = assembler.finish();
 */
export class ChunkAssembler {
  private readonly parts: Uint8Array[] = [];
  private readonly hash = createHash('sha256');
  private receivedBytes = 0;
  private total: number | undefined;
  private complete = false;
  private rejection: unknown;

  constructor(private readonly options: ChunkAssemblerOptions) {
    const { maxTotalBytes, expectedTotalBytes } = options;
    if (expectedTotalBytes !== undefined && expectedTotalBytes > maxTotalBytes) {
      throw new WireError(
        `payload of ${expectedTotalBytes} bytes exceeds the limit of ${maxTotalBytes} bytes`,
        'resource-exhausted',
      );
    }
  }

  /** Bytes received so far. */
  get bytesReceived(): number {
    return this.receivedBytes;
  }

  /** Whether the last chunk has arrived and the digest matched. */
  get isComplete(): boolean {
    return this.complete;
  }

  /** Takes the next chunk; returns true once the byte string is complete and verified. */
  accept(chunk: ByteChunk): boolean {
    this.throwIfRejected();
    try {
      this.acceptInOrder(chunk);
    } catch (error) {
      this.rejection = error;
      throw error;
    }
    return this.complete;
  }

  /** The reassembled bytes; throws if chunks are missing. */
  finish(): Uint8Array {
    this.throwIfRejected();
    if (this.total === undefined) throw new WireError('expected at least 1 chunk, got none');
    if (!this.complete) {
      throw new WireError(`expected ${this.total} chunks, got ${this.parts.length}`);
    }
    return Buffer.concat(this.parts, this.receivedBytes);
  }

  private throwIfRejected(): void {
    if (this.rejection !== undefined) {
      const reason =
        this.rejection instanceof Error ? this.rejection.message : String(this.rejection);
      throw new WireError(`this chunk stream was already rejected: ${reason}`, 'invalid-argument', {
        cause: this.rejection,
      });
    }
  }

  private acceptInOrder(chunk: ByteChunk): void {
    const expectedIndex = this.parts.length;
    if (this.complete) {
      throw new WireError(
        `got chunk index ${chunk.index} after the last of ${this.total} chunks had arrived`,
      );
    }
    const total = this.checkTotal(chunk);
    if (chunk.index !== expectedIndex) {
      const what = chunk.index < expectedIndex ? ' (a repeat)' : '';
      throw new WireError(
        `expected chunk index ${expectedIndex} of ${total}, got ${chunk.index}${what}`,
      );
    }
    if (chunk.data.length === 0 && total > 1) {
      throw new WireError(`chunk index ${chunk.index} of ${total} is empty`);
    }
    this.addBytes(chunk.data);
    const isLast = chunk.index === total - 1;
    if (!isLast && chunk.sha256.length > 0) {
      throw new WireError(
        `chunk index ${chunk.index} of ${total} carries a digest; only the last may`,
      );
    }
    if (isLast) this.verifyDigest(chunk.sha256);
  }

  private checkTotal(chunk: ByteChunk): number {
    if (!Number.isInteger(chunk.total) || chunk.total < 1) {
      throw new WireError(`expected a chunk count of at least 1, got ${chunk.total}`);
    }
    if (this.total === undefined) this.total = chunk.total;
    else if (chunk.total !== this.total) {
      throw new WireError(
        `chunk index ${chunk.index} says ${chunk.total} chunks, earlier ones said ${this.total}`,
      );
    }
    return this.total;
  }

  private addBytes(data: Uint8Array): void {
    const { maxTotalBytes, expectedTotalBytes } = this.options;
    const received = this.receivedBytes + data.length;
    if (received > maxTotalBytes) {
      throw new WireError(
        `payload exceeds the limit of ${maxTotalBytes} bytes (${received} received so far)`,
        'resource-exhausted',
      );
    }
    if (expectedTotalBytes !== undefined && received > expectedTotalBytes) {
      throw new WireError(`expected ${expectedTotalBytes} bytes, got at least ${received}`);
    }
    this.parts.push(data);
    this.hash.update(data);
    this.receivedBytes = received;
  }

  private verifyDigest(announced: Uint8Array): void {
    const { expectedTotalBytes, expectedSha256 } = this.options;
    if (expectedTotalBytes !== undefined && this.receivedBytes !== expectedTotalBytes) {
      throw new WireError(`expected ${expectedTotalBytes} bytes, got ${this.receivedBytes}`);
    }
    if (announced.length !== SHA256_BYTES) {
      throw new WireError(
        `expected a ${SHA256_BYTES}-byte SHA-256 on the last chunk, got ${announced.length} bytes`,
      );
    }
    if (expectedSha256 !== undefined && !Buffer.from(announced).equals(expectedSha256)) {
      throw new WireError("the last chunk's SHA-256 differs from the one announced beforehand");
    }
    const actual = this.hash.digest();
    if (!actual.equals(announced)) {
      throw new WireError(
        `SHA-256 mismatch: chunks hash to ${actual.toString('hex')}, sender said ${Buffer.from(announced).toString('hex')}`,
      );
    }
    this.complete = true;
  }
}
