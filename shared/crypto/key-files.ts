/**
 * Key files on disk: writes an identity as NAME.private.json (mode 0600, never readable by
 * others even for a moment) and NAME.public.json (0644), and loads them back, refusing a
 * private file that group or others can read.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fsyncDirectory } from '../fs/atomic-write.js';
import { type Identity, type PublicIdentity, validateIdentityName } from './identity.js';
import {
  KeyFileError,
  parseKeyFile,
  parsePrivateKeyFile,
  parsePublicKeyFile,
  privateKeyFileText,
  publicKeyFileText,
} from './key-file-format.js';

export const PRIVATE_KEY_FILE_MODE = 0o600;
export const PUBLIC_KEY_FILE_MODE = 0o644;

/** Where an identity's key files live in `dir`. */
export function keyFilePaths(
  dir: string,
  name: string,
): { publicPath: string; privatePath: string } {
  validateIdentityName(name);
  return {
    publicPath: join(dir, `${name}.public.json`),
    privatePath: join(dir, `${name}.private.json`),
  };
}

/** Key files that are already there and were not to be replaced. */
export class KeyFilesExistError extends Error {
  constructor(readonly paths: readonly string[]) {
    super(
      `refusing to overwrite existing key file${paths.length > 1 ? 's' : ''} ${paths.join(', ')} (replacing a key locks its owner out; pass overwrite: true / --force to do it anyway)`,
    );
    this.name = 'KeyFilesExistError';
  }
}

/**
 * Writes `identity` as NAME.private.json (0600) and NAME.public.json (0644) in `dir`,
 * creating `dir` (0700) if needed. Existing files are left alone and reported unless
 * `overwrite` is set. Each file appears complete or not at all.
 * @example const { publicPath } = writeIdentityFiles('state/keys', generateIdentity('client', 'acme'));
 */
export function writeIdentityFiles(
  dir: string,
  identity: Identity,
  options: { overwrite?: boolean } = {},
): { publicPath: string; privatePath: string } {
  const paths = keyFilePaths(dir, identity.name);
  const overwrite = options.overwrite ?? false;
  if (!overwrite) {
    const existing = [paths.privatePath, paths.publicPath].filter((p) => existsSync(p));
    if (existing.length > 0) throw new KeyFilesExistError(existing);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeKeyFile(paths.privatePath, privateKeyFileText(identity), PRIVATE_KEY_FILE_MODE, overwrite);
  writeKeyFile(paths.publicPath, publicKeyFileText(identity), PUBLIC_KEY_FILE_MODE, overwrite);
  fsyncDirectory(dir);
  return paths;
}

/**
 * Loads a private key file, refusing it when its mode lets group or others in (as ssh does):
 * a key others could read may already be someone else's.
 */
export function loadPrivateIdentity(path: string): Identity {
  const { text, mode } = readKeyFile(path);
  refuseSharedPrivateFile(path, mode);
  return parsePrivateKeyFile(path, text);
}

/** Loads a public key file (a private one is refused: it should not be passed around). */
export function loadPublicIdentity(path: string): PublicIdentity {
  return parsePublicKeyFile(path, readKeyFile(path).text);
}

/** Loads either kind of key file; a private one must pass the same mode check. */
export function loadKeyFile(
  path: string,
): { kind: 'public'; identity: PublicIdentity } | { kind: 'private'; identity: Identity } {
  const { text, mode } = readKeyFile(path);
  const parsed = parseKeyFile(path, text);
  if (parsed.kind === 'private') refuseSharedPrivateFile(path, mode);
  return parsed;
}

/**
 * Writes one file that must never be readable beyond `mode`, even for a moment (private keys;
 * also TLS keys and certificates). Throws KeyFilesExistError if `path` exists and not
 * `overwrite`.
 */
// The temporary file is created with the final mode (O_EXCL, so never someone else's file),
// then linked into place (fails if the target exists) or renamed over it (overwrite).
export function writeKeyFile(path: string, text: string, mode: number, overwrite: boolean): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', mode);
  try {
    try {
      fchmodSync(fd, mode); // the umask may have removed bits; the mode is exactly this
      const bytes = Buffer.from(text);
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (overwrite) renameSync(temp, path);
    else linkSync(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new KeyFilesExistError([path]);
    throw error;
  } finally {
    if (existsSync(temp)) unlinkSync(temp);
  }
}

// The mode is taken from the open descriptor, so the file checked is the file read.
function readKeyFile(path: string): { text: string; mode: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new KeyFileError(path, null, `cannot open: ${(error as Error).message}`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new KeyFileError(path, null, 'expected a regular file');
    return { text: readFileSync(fd, 'utf8'), mode: stat.mode & 0o7777 };
  } finally {
    closeSync(fd);
  }
}

function refuseSharedPrivateFile(path: string, mode: number): void {
  // Windows has no POSIX modes (Node reports 0666 for every file), so the check cannot apply.
  if (process.platform === 'win32' || (mode & 0o077) === 0) return;
  throw new KeyFileError(
    path,
    null,
    `private key file has mode ${mode.toString(8).padStart(4, '0')}, which lets group or others access it; expected 0600: run chmod 600 ${path}`,
  );
}
