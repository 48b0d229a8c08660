/**
 * The record a round leaves in the federation state as collection ends: who was selected,
 * what each result claimed, what failed, and whether enough results arrived to close it.
 */
import type { ClientPayload, Task } from '../../shared/federation/messages.js';
import type { RoundRecord } from '../store/federation-state.js';
import type { TaskOutcome } from './run-tasks.js';

/** The round's record before aggregation (which fills in `aggregateMs` and the rest). */
export function roundRecord(
  task: Task,
  selected: readonly string[],
  outcome: TaskOutcome,
  startedMs: number,
  minClients: number,
): RoundRecord {
  return {
    round: task.round,
    kind: task.kind,
    taskId: task.taskId,
    modelVersion: task.modelVersion,
    selected: [...selected],
    results: outcome.results.map(({ clientId, payload }) => ({
      clientId,
      ...resultFacts(payload),
    })),
    failures: outcome.failures,
    startedMs,
    collectMs: Date.now() - startedMs,
    aggregateMs: 0,
    outcome: outcome.results.length >= minClients ? 'closed' : 'failed',
  };
}

function resultFacts(payload: ClientPayload) {
  if (payload.kind === 'delta')
    return { examples: payload.examples, validationLoss: payload.validationLoss };
  if (payload.kind === 'histogram') return { flows: payload.flows };
  if (payload.kind === 'sketch') return { flows: payload.rows };
  // A masked delta's examples are inside its masks: only the round's sum is known.
  return {};
}
