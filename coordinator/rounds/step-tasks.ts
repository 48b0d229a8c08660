/**
 * The tasks one step of a round protocol sends: the same task to every client, or for a step
 * with its own data per client (secure aggregation), each client's own.
 */
import type { Task } from '../../shared/federation/messages.js';
import type { RoundRecord } from '../store/federation-state.js';
import type { RoundStep, StepContext } from './round-protocol.js';

/**
 * Each client's task: the step's base task with the client's own data when the step has some,
 * built once per client (a task sent again is the same task). The `participants`' tasks are
 * built up front, so a step that cannot run throws before any task is sent.
 */
export function stepTasks(
  step: RoundStep,
  context: StepContext,
  participants: readonly string[],
): (clientId: string) => Task {
  const { task } = context;
  if (!step.taskData) return () => task;
  const made = new Map<string, Task>();
  const own = (clientId: string) => {
    let mine = made.get(clientId);
    if (!mine) {
      mine = { ...task, secagg: step.taskData!(clientId, context) };
      made.set(clientId, mine);
    }
    return mine;
  };
  for (const id of participants) own(id);
  return own;
}

/** The record of a step that could not start: a failed round, so the protocol runs again. */
export function failedToStart(task: Task, reason: string): RoundRecord {
  return {
    round: task.round,
    kind: task.kind,
    taskId: task.taskId,
    modelVersion: task.modelVersion,
    selected: [],
    results: [],
    failures: [],
    startedMs: Date.now(),
    collectMs: 0,
    aggregateMs: 0,
    outcome: 'failed',
    reason,
  };
}
