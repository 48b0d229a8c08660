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
  const header: Header = { format: 'fedflow-server-state', step: state.step, slots };
  writeFileDurably(join(dir, `v${version}.json`), `${JSON.stringify(header)}\n`);
}

/** The state saved with `version`, or null when none was (a stateless strategy). */
export function loadServerState(dir: string, version: number): ServerState | null {
  const headerPath = join(dir, `v${version}.json`);
  if (!existsSync(headerPath)) return null;
  const header = JSON.parse(readFileSync(headerPath, 'utf8')) as Header;
  const bytes = readFileSync(join(dir, `v${version}.bin`));
  const total = header.slots.reduce((n, s) => n + s.length, 0);
  if (header.format !== 'fedflow-server-state' || bytes.length !== total * 4)
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
  return { step: header.step, slots };
}

/** Drops states of versions the coordinator state never named (a crash mid-save). */
export function removeServerStatesAfter(dir: string, current: number): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const version = /^v(\d+)\.(json|bin)$/.exec(name);
    if (version && Number(version[1]) > current) rmSync(join(dir, name), { force: true });
  }
}
