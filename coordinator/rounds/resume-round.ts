/**
 * Whether the round a crashed coordinator left open is the round the loop is about to run:
 * then it resumes under its task id with the results it had accepted, instead of starting over.
 */
import type { TaskKind } from '../../shared/federation/messages.js';
import type { RoundRecord } from '../store/federation-state.js';
import type { OpenRoundStore } from '../store/open-round.js';

/** What the open-round store kept of a round left open. */
export type LeftOpen = NonNullable<ReturnType<OpenRoundStore['load']>>;

/** `left` when it is this round's task and its record was never committed, else null. */
export function roundToResume(
  left: LeftOpen | null,
  kind: TaskKind,
  round: number,
  modelVersion: number,
  rounds: readonly RoundRecord[],
): LeftOpen | null {
  return left &&
    left.task.kind === kind &&
    left.task.round === round &&
    left.task.modelVersion === modelVersion &&
    // A round whose record was committed (a crash before the store was cleared) is over.
    !rounds.some((r) => r.taskId === left.task.taskId)
    ? left
    : null;
}
