/**
 * Replay protection for opened envelopes: remembers each accepted (sender, nonce) and
 * (sender, round, task), and survives coordinator restarts as JSON.
 */
import { fromBase64, toBase64 } from './base64.js';
import { EnvelopeError } from './envelope-error.js';
import { ENVELOPE_NONCE_LENGTH, validateRound, validateTaskId } from './envelope-statement.js';
import { fingerprint, KEY_LENGTHS } from './identity.js';
import type { SealedEnvelope } from './sealed-envelope.js';

export const REPLAY_GUARD_FORMAT = 'fedflow-replay-guard';

/** One accepted envelope, as persisted (keys and nonces in base64). */
export interface AcceptedEnvelopeJson {
  readonly sender: string;
  readonly round: number;
  readonly taskId: string;
  readonly nonce: string;
}

/** The persisted form: accepted envelopes in the order they were accepted. */
export interface ReplayGuardJson {
  readonly format: typeof REPLAY_GUARD_FORMAT;
  readonly version: 1;
  readonly accepted: readonly AcceptedEnvelopeJson[];
}

/**
 * Refuses an envelope whose nonce its sender used before, or a second submission by a
 * sender for the same round and task. Call `check` only after `openEnvelope` succeeded:
 * the sender key and context it records are trustworthy only once the signature is.
 * Persist the guard with the submission it accepted (one atomic write), or a coordinator
 * restarted in between would refuse the client's retry as a replay.
 * @example openEnvelope(me, client, envelope, expected); guard.check(envelope); store(guard.toJSON());
 */
export class ReplayGuard {
  private readonly accepted: AcceptedEnvelopeJson[] = [];
  private readonly nonces = new Set<string>();
  private readonly submissions = new Set<string>();

  /** Number of envelopes remembered. */
  get size(): number {
    return this.accepted.length;
  }

  /** Records the envelope, or throws EnvelopeError 'replayed' (recording nothing). */
  check(envelope: Pick<SealedEnvelope, 'senderSignKey' | 'nonce' | 'context'>): void {
    const entry: AcceptedEnvelopeJson = {
      sender: toBase64(envelope.senderSignKey),
      round: envelope.context.round,
      taskId: envelope.context.taskId,
      nonce: toBase64(envelope.nonce),
    };
    const who = `sender ${fingerprint(envelope.senderSignKey)}`;
    if (this.nonces.has(nonceKey(entry)))
      throw new EnvelopeError('replayed', `${who} used this nonce before (a replayed message)`);
    if (this.submissions.has(submissionKey(entry)))
      throw new EnvelopeError(
        'replayed',
        `${who} already submitted for round ${entry.round}, task ${JSON.stringify(entry.taskId)}`,
      );
    this.remember(entry);
  }

  /**
   * Forgets envelopes of rounds before `round` and returns how many. Safe once those rounds
   * are closed: an old envelope replayed later is refused as 'wrong-context' anyway.
   */
  forgetRoundsBefore(round: number): number {
    const kept = this.accepted.filter((entry) => entry.round >= round);
    const forgotten = this.accepted.length - kept.length;
    this.accepted.length = 0;
    this.nonces.clear();
    this.submissions.clear();
    for (const entry of kept) this.remember(entry);
    return forgotten;
  }

  /** The state to persist (JSON.stringify(guard) calls this). */
  toJSON(): ReplayGuardJson {
    return {
      format: REPLAY_GUARD_FORMAT,
      version: 1,
      accepted: this.accepted.map((e) => ({ ...e })),
    };
  }

  /** Restores a guard from `toJSON()` output (parsed), checking every entry. */
  static fromJSON(value: unknown): ReplayGuard {
    const state = value as Partial<ReplayGuardJson> | null;
    if (typeof state !== 'object' || state === null)
      throw new Error(
        `replay guard state: expected an object, got ${state === null ? 'null' : typeof state}`,
      );
    if (state.format !== REPLAY_GUARD_FORMAT || state.version !== 1)
      throw new Error(
        `replay guard state: expected format '${REPLAY_GUARD_FORMAT}' version 1, got ${JSON.stringify(state.format)} version ${JSON.stringify(state.version)}`,
      );
    if (!Array.isArray(state.accepted))
      throw new Error('replay guard state: accepted: expected an array');
    const guard = new ReplayGuard();
    state.accepted.forEach((raw: unknown, index) => {
      const entry = parseEntry(raw, `replay guard state: accepted[${index}]`);
      if (guard.nonces.has(nonceKey(entry)) || guard.submissions.has(submissionKey(entry)))
        throw new Error(`replay guard state: accepted[${index}]: duplicate of an earlier entry`);
      guard.remember(entry);
    });
    return guard;
  }

  private remember(entry: AcceptedEnvelopeJson): void {
    this.accepted.push(entry);
    this.nonces.add(nonceKey(entry));
    this.submissions.add(submissionKey(entry));
  }
}

// JSON arrays as keys: no separator inside a task id can make two entries collide.
function nonceKey(entry: AcceptedEnvelopeJson): string {
  return JSON.stringify([entry.sender, entry.nonce]);
}

function submissionKey(entry: AcceptedEnvelopeJson): string {
  return JSON.stringify([entry.sender, entry.round, entry.taskId]);
}

function parseEntry(raw: unknown, where: string): AcceptedEnvelopeJson {
  if (typeof raw !== 'object' || raw === null) throw new Error(`${where}: expected an object`);
  const { sender, round, taskId, nonce } = raw as Record<string, unknown>;
  checkBase64(sender, KEY_LENGTHS.signPublicKey, `${where}.sender`);
  checkBase64(nonce, ENVELOPE_NONCE_LENGTH, `${where}.nonce`);
  try {
    validateRound(round);
    validateTaskId(taskId);
  } catch (error) {
    throw new Error(`${where}.${(error as Error).message}`);
  }
  return { sender: sender as string, round, taskId, nonce: nonce as string };
}

function checkBase64(value: unknown, length: number, where: string): void {
  let bytes: Uint8Array | undefined;
  try {
    bytes = typeof value === 'string' ? fromBase64(value) : undefined;
  } catch {
    // reported below with the expectation
  }
  if (bytes?.length !== length)
    throw new Error(`${where}: expected ${length} bytes as base64, got ${JSON.stringify(value)}`);
}
