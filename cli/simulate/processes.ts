/** Starts `fedflow` subcommands as child processes (the same program, sources or build). */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { processLogger } from '../logging.js';

/** A child logs at the level this process does (--log-level, --quiet), into `logFile`. */
export function spawnFedflow(args: string[], logFile: string): ChildProcess {
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FEDFLOW_LOG_LEVEL: processLogger().level },
  });
  const log = createWriteStream(logFile, { flags: 'a' });
  child.stderr!.pipe(log);
  return child;
}

/** Resolves with the exit code; rejects if the process could not start. */
export function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** Calls `onEvent` for each JSON line the process prints on stdout. */
export function jsonLines(
  child: ChildProcess,
  onEvent: (event: Record<string, unknown>) => void,
): void {
  let buffer = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (text: string) => {
    buffer += text;
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (line.startsWith('{')) onEvent(JSON.parse(line) as Record<string, unknown>);
      newline = buffer.indexOf('\n');
    }
  });
}

/** The port a `fedflow coordinator` process listens on, from its 'listening' event. */
export function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    jsonLines(child, (event) => {
      if (event.event === 'listening') resolve(Number(event.port));
    });
    child.once('exit', (code) =>
      reject(new Error(`the coordinator exited (${code}) before listening`)),
    );
  });
}
