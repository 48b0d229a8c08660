/**
 * The round in progress, kept so that a result the coordinator accepted (and receipted)
 * survives a crash: `open-round/task.json` names the task when it starts, and each accepted
 * payload is written to `open-round/results/` before its receipt is signed. A restarted
 * coordinator resumes that task under the same id with those results, and asks only the
 * sites that had not answered. Cleared once the round's record is committed.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ClientPayload, TaskKind } from '../../shared/federation/messages.js';

/** Reads a kept plaintext back (the wire codec, given by the composition root). */
export type PayloadDecoder = (plaintext: Uint8Array) => ClientPayload;

import { fsyncDirectory, writeFileDurably } from '../../shared/fs/atomic-write.js';

export interface OpenTask {
  readonly taskId: string;
  readonly kind: TaskKind;
  readonly round: number;
  readonly modelVersion: number;
}

export interface OpenRoundStore {
  /** A new task starts: any earlier open round is forgotten. */
  begin(task: OpenTask): void;
  /** An accepted result, durably, before its receipt is issued. */
  saveResult(taskId: string, clientId: string, plaintext: Uint8Array): void;
  /**
   * The open task and its accepted results, if one was left open (a crash). A kept result
   * that no longer decodes is left out (the site is asked again).
   */
  load(): { task: OpenTask; results: { clientId: string; payload: ClientPayload }[] } | null;
  /** The round's record is committed: its results are now part of the state. */
  clear(): void;
}

/** Keeps nothing across restarts (tests, and loops that never restart). */
export class MemoryOpenRoundStore implements OpenRoundStore {
  private task: OpenTask | null = null;
  private results = new Map<string, Uint8Array>();
  constructor(private readonly decode: PayloadDecoder | null = null) {}
  begin(task: OpenTask): void {
    this.task = task;
    this.results = new Map();
  }
  saveResult(taskId: string, clientId: string, plaintext: Uint8Array): void {
    if (this.task?.taskId === taskId) this.results.set(clientId, plaintext);
  }
  load() {
    if (!this.task) return null;
    return { task: this.task, results: decoded([...this.results], this.decode) };
  }
  clear(): void {
    this.task = null;
    this.results = new Map();
  }
}

export class FileOpenRoundStore implements OpenRoundStore {
  constructor(
    private readonly dir: string,
    private readonly decode: PayloadDecoder,
  ) {}

  private get resultsDir(): string {
    return join(this.dir, 'results');
  }

  begin(task: OpenTask): void {
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.resultsDir, { recursive: true });
    fsyncDirectory(dirname(this.dir));
    writeFileDurably(join(this.dir, 'task.json'), `${JSON.stringify(task)}\n`);
  }

  saveResult(taskId: string, clientId: string, plaintext: Uint8Array): void {
    const task = this.readTask();
    if (task?.taskId !== taskId) return; // not the open round's (cannot be accepted anyway)
    // Client ids are fingerprints (hex): safe as file names.
    if (!/^[0-9a-f]{16}$/.test(clientId)) throw new Error(`unexpected client id ${clientId}`);
    writeFileDurably(join(this.resultsDir, `${clientId}.bin`), plaintext);
  }

  load() {
    const task = this.readTask();
    if (!task) return null;
    const kept: [string, Uint8Array][] = existsSync(this.resultsDir)
      ? readdirSync(this.resultsDir)
          .filter((name) => /^[0-9a-f]{16}\.bin$/.test(name))
          .sort()
          .map((name) => [
            name.slice(0, -4),
            new Uint8Array(readFileSync(join(this.resultsDir, name))),
          ])
      : [];
    return { task, results: decoded(kept, this.decode) };
  }

  clear(): void {
    rmSync(this.dir, { recursive: true, force: true });
    if (existsSync(dirname(this.dir))) fsyncDirectory(dirname(this.dir));
  }

  private readTask(): OpenTask | null {
    const path = join(this.dir, 'task.json');
    if (!existsSync(path)) return null;
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as OpenTask;
    } catch {
      return null; // a torn write of a task that never ran: nothing to resume
    }
  }
}

function decoded(
  kept: readonly [string, Uint8Array][],
  decode: PayloadDecoder | null,
): { clientId: string; payload: ClientPayload }[] {
  return kept.flatMap(([clientId, plaintext]) => {
    if (!decode) throw new Error('this open-round store was given no payload decoder');
    try {
      return [{ clientId, payload: decode(plaintext) }];
    } catch {
      return []; // damaged on disk: that site is asked again
    }
  });
}
