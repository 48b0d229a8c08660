/**
 * The bytes a client signs for each sealed envelope: what it sends (kind), for which round
 * and task, under which nonce, and a digest of the ciphertext. Auditors recompute them.
 */
import type { ClientPayload } from '../federation/messages.js';
import { ByteWriter, utf8Bytes } from './bytes.js';

/** The payload kinds a client may seal. */
export type EnvelopeKind = ClientPayload['kind'];
// A record, so that a payload kind added to messages.ts fails to compile until listed here.
const KNOWN_KINDS: Record<EnvelopeKind, true> = {
  sketch: true,
  delta: true,
  histogram: true,
  'secagg-keys': true,
  'secagg-shares': true,
  'masked-delta': true,
  'secagg-unmask': true,
};
export const ENVELOPE_KINDS = Object.keys(KNOWN_KINDS) as readonly EnvelopeKind[];

/** What an envelope is for; signed with it, so it cannot be moved to another round or task. */
export interface EnvelopeContext {
  readonly kind: EnvelopeKind;
  readonly round: number;
  readonly taskId: string;
}

/** Domain-separation tag: these signatures can never be taken for another fedflow statement. */
export const ENVELOPE_DOMAIN_TAG = 'fedflow/v1/envelope';
export const ENVELOPE_NONCE_LENGTH = 24;
const MAX_TASK_ID_BYTES = 255;

/** Throws a RangeError naming the field unless `context` can be signed. */
export function validateEnvelopeContext(context: EnvelopeContext): void {
  if (!ENVELOPE_KINDS.includes(context.kind))
    throw new RangeError(
      `kind: expected one of ${ENVELOPE_KINDS.join(', ')}, got ${JSON.stringify(context.kind)}`,
    );
  validateRound(context.round);
  validateTaskId(context.taskId);
}

/** Throws unless `round` fits the statement's unsigned 32-bit field. */
export function validateRound(round: unknown): asserts round is number {
  if (typeof round !== 'number' || !Number.isInteger(round) || round < 0 || round > 0xffffffff)
    throw new RangeError(`round: expected an integer in [0, 4294967295], got ${String(round)}`);
}

/** Throws unless `taskId` is 1-255 bytes of well-formed UTF-8. */
export function validateTaskId(taskId: unknown): asserts taskId is string {
  if (typeof taskId !== 'string')
    throw new RangeError(`taskId: expected a string, got ${typeof taskId}`);
  const length = utf8Bytes(taskId, 'taskId').length;
  if (length < 1 || length > MAX_TASK_ID_BYTES)
    throw new RangeError(`taskId: expected 1-${MAX_TASK_ID_BYTES} bytes of UTF-8, got ${length}`);
}

/** Whether two contexts name the same kind, round and task. */
export function sameEnvelopeContext(a: EnvelopeContext, b: EnvelopeContext): boolean {
  return a.kind === b.kind && a.round === b.round && a.taskId === b.taskId;
}

/** One line for messages: `delta for round 3, task "t-3"`. */
export function describeEnvelopeContext(context: EnvelopeContext): string {
  return `${context.kind} for round ${context.round}, task ${JSON.stringify(context.taskId)}`;
}

/**
 * The signed statement of an envelope. Layout (integers big-endian, strings without NUL):
 *
 * | bytes | field                                                          |
 * | ----- | -------------------------------------------------------------- |
 * | 20    | ASCII `fedflow/v1/envelope` followed by one 0x00 byte          |
 * | 1     | K = length of kind                                             |
 * | K     | kind, ASCII: `sketch`, `delta` or `histogram`                  |
 * | 4     | round, unsigned 32-bit                                         |
 * | 1     | T = length of taskId in bytes (1-255)                          |
 * | T     | taskId, UTF-8                                                  |
 * | 24    | nonce (the nacl.box nonce of the ciphertext)                   |
 * | 32    | SHA-256 of the ciphertext                                      |
 *
 * The ciphertext enters as its digest so that a log can hold the statement, and an auditor
 * check the signature, without holding the (large, encrypted) payload.
 * The signer's key is not in the statement: an Ed25519 signature already binds it.
 */
export function envelopeStatement(
  context: EnvelopeContext,
  nonce: Uint8Array,
  ciphertextSha256: Uint8Array,
): Uint8Array {
  validateEnvelopeContext(context);
  if (nonce.length !== ENVELOPE_NONCE_LENGTH)
    throw new RangeError(`nonce: expected ${ENVELOPE_NONCE_LENGTH} bytes, got ${nonce.length}`);
  if (ciphertextSha256.length !== 32)
    throw new RangeError(`ciphertext digest: expected 32 bytes, got ${ciphertextSha256.length}`);
  return new ByteWriter()
    .bytes(utf8Bytes(`${ENVELOPE_DOMAIN_TAG}\0`, 'tag'))
    .shortString(context.kind, 'kind')
    .u32(context.round, 'round')
    .shortString(context.taskId, 'taskId')
    .bytes(nonce)
    .bytes(ciphertextSha256)
    .finish();
}
