/**
 * A quantised release on disk, one file pair per model version (`releases/vN.json` its header,
 * `vN.bin` its scales, codes and residual), so a restarted coordinator still sends sites the
 * change they expect and carries what the quantisation left out into the next release.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { codeBytes, quantizedProblem } from '../../shared/codec/block-quantizer.js';
import type { ReleaseDelta } from '../../shared/federation/release-delta.js';
import { writeFileDurably } from '../../shared/fs/atomic-write.js';

interface Header {
  readonly format: 'fedflow-release-delta';
  readonly baseVersion: number;
  readonly baseWeightsSha256: string;
  readonly bits: 8 | 4;
  readonly length: number;
  readonly blockSize: number;
}

export function saveRelease(dir: string, version: number, release: ReleaseDelta): void {
  mkdirSync(dir, { recursive: true });
  const { delta, residual } = release;
  const bytes = new Uint8Array(delta.scales.byteLength + residual.byteLength + delta.codes.length);
  bytes.set(new Uint8Array(delta.scales.slice().buffer), 0);
  bytes.set(new Uint8Array(residual.slice().buffer), delta.scales.byteLength);
  bytes.set(delta.codes, delta.scales.byteLength + residual.byteLength);
  // Values first: the header is what makes a version's release exist.
  writeFileDurably(join(dir, `v${version}.bin`), bytes);
  const header: Header = {
    format: 'fedflow-release-delta',
    baseVersion: release.baseVersion,
    baseWeightsSha256: Buffer.from(release.baseWeightsSha256).toString('hex'),
    bits: delta.bits,
    length: delta.length,
    blockSize: delta.blockSize,
  };
  writeFileDurably(join(dir, `v${version}.json`), `${JSON.stringify(header)}\n`);
}

/** The release saved with `version`, or null when it was released whole. */
export function loadRelease(dir: string, version: number): ReleaseDelta | null {
  const headerPath = join(dir, `v${version}.json`);
  if (!existsSync(headerPath)) return null;
  const damaged = (why: string) =>
    new Error(`${headerPath}: ${why}; the release of model v${version} is damaged`);
  let h: Header;
  try {
    h = JSON.parse(readFileSync(headerPath, 'utf8')) as Header;
  } catch (error) {
    throw damaged(`not valid JSON (${(error as Error).message})`);
  }
  if (h?.format !== 'fedflow-release-delta') throw damaged('not a fedflow release header');
  const binPath = join(dir, `v${version}.bin`);
  if (!existsSync(binPath)) throw damaged(`v${version}.bin is missing`);
  const bytes = readFileSync(binPath);
  const blocks = Math.ceil(h.length / h.blockSize);
  const expected = blocks * 4 + h.length * 4 + codeBytes(h.length, h.bits);
  if (bytes.length !== expected)
    throw damaged(`expected ${expected} bytes in v${version}.bin, found ${bytes.length}`);
  const at = (offset: number, end: number) =>
    bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + end);
  const delta = {
    bits: h.bits,
    length: h.length,
    blockSize: h.blockSize,
    scales: new Float32Array(at(0, blocks * 4)),
    codes: new Uint8Array(at(blocks * 4 + h.length * 4, expected)),
  };
  const problem = quantizedProblem(delta);
  if (problem) throw damaged(problem);
  return {
    baseVersion: h.baseVersion,
    baseWeightsSha256: new Uint8Array(Buffer.from(h.baseWeightsSha256, 'hex')),
    delta,
    residual: new Float32Array(at(blocks * 4, blocks * 4 + h.length * 4)),
  };
}

/** Drops releases of versions the coordinator state never named (a crash mid-save). */
export function removeReleasesAfter(dir: string, current: number): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const version = /^v(\d+)\.(json|bin)$/.exec(name);
    if (version && Number(version[1]) > current) rmSync(join(dir, name), { force: true });
  }
}
