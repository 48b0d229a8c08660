/**
 * The server optimiser's state on disk, one file pair per model version (`server-state/vN.json`
 * naming the slots, `vN.bin` their float32 values), so a restarted coordinator resumes FedAvgM
 * or FedAdam with the momentum it had, not from zero.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileDurably } from '../../shared/fs/atomic-write.js';
import type { ServerState } from '../strategy/strategy.js';

interface Header {
  readonly format: 'fedflow-server-state';
  readonly optimizer: string;
  readonly step: number;
  readonly slots: readonly { name: string; length: number }[];
}

export function saveServerState(dir: string, version: number, state: ServerState): void {
  mkdirSync(dir, { recursive: true });
  const slots = Object.entries(state.slots).map(([name, v]) => ({ name, length: v.length }));
  const total = slots.reduce((n, s) => n + s.length, 0);
  const values = new Float32Array(total);
  let at = 0;
  for (const vector of Object.values(state.slots)) {
    values.set(vector, at);
    at += vector.length;
  }
  // Values first: the header is what makes a version's state exist.
  writeFileDurably(join(dir, `v${version}.bin`), new Uint8Array(values.buffer));
  const header: Header = {
    format: 'fedflow-server-state',
    optimizer: state.optimizer,
    step: state.step,
    slots,
  };
  writeFileDurably(join(dir, `v${version}.json`), `${JSON.stringify(header)}\n`);
}

/** The state saved with `version`, or null when none was (a stateless strategy). */
export function loadServerState(dir: string, version: number): ServerState | null {
  const headerPath = join(dir, `v${version}.json`);
  if (!existsSync(headerPath)) return null;
  const header = readHeader(headerPath);
  const binPath = join(dir, `v${version}.bin`);
  if (!existsSync(binPath))
    throw new Error(`${binPath} is missing; the server state of ${headerPath} is damaged`);
  const bytes = readFileSync(binPath);
  const total = header.slots.reduce((n, s) => n + s.length, 0);
  if (bytes.length !== total * 4)
    throw new Error(
      `${headerPath}: expected ${total} float32 values in v${version}.bin, found ${bytes.length} bytes; the server state is damaged`,
    );
  const values = new Float32Array(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
  );
  const slots: Record<string, Float32Array> = {};
  let at = 0;
  for (const slot of header.slots) {
    slots[slot.name] = values.slice(at, at + slot.length);
    at += slot.length;
  }
  return { optimizer: header.optimizer, step: header.step, slots };
}

function readHeader(path: string): Header {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: not a server state header: ${(error as Error).message}`);
  }
  const h = parsed as Partial<Header> | null;
  const problem =
    h?.format !== 'fedflow-server-state'
      ? `format is ${JSON.stringify(h?.format)}, expected "fedflow-server-state"`
      : typeof h.optimizer !== 'string'
        ? 'optimizer must name the server optimiser that wrote it'
        : !(Number.isInteger(h.step) && h.step! >= 0)
          ? `step must be a non-negative integer, got ${JSON.stringify(h.step)}`
          : !Array.isArray(h.slots) ||
              h.slots.some(
                (s) =>
                  typeof s?.name !== 'string' || !(Number.isInteger(s.length) && s.length >= 0),
              )
            ? 'slots must be a list of { name, length }'
            : null;
  if (problem) throw new Error(`${path}: ${problem}; the server state is damaged`);
  return h as Header;
}

/** Drops states of versions the coordinator state never named (a crash mid-save). */
export function removeServerStatesAfter(dir: string, current: number): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const version = /^v(\d+)\.(json|bin)$/.exec(name);
    if (version && Number(version[1]) > current) rmSync(join(dir, name), { force: true });
  }
}
