/**
 * Certificates and keys on disk: where NAME.crt and NAME.key go, and writing them with the
 * key never readable by others. Apart from making certificates, which needs no file system.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  KeyFilesExistError,
  PRIVATE_KEY_FILE_MODE,
  PUBLIC_KEY_FILE_MODE,
  writeKeyFile,
} from '../crypto/key-files.js';
import { fsyncDirectory } from '../fs/atomic-write.js';
import type { CertificateBundle } from './certificates.js';

/** Where `writeCertificateFiles` puts NAME's certificate and key. */
export function certificateFilePaths(
  dir: string,
  name: string,
): { certPath: string; keyPath: string } {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith('.'))
    throw new Error(
      `certificate file name ${JSON.stringify(name)} must be letters, digits, . _ - and not start with a dot`,
    );
  return { certPath: join(dir, `${name}.crt`), keyPath: join(dir, `${name}.key`) };
}

/**
 * Writes NAME.crt (0644) and NAME.key (0600, never readable by others even for a moment) in
 * `dir` (created 0700). Existing files are refused (KeyFilesExistError) unless `overwrite`.
 * @example writeCertificateFiles('tls', 'coordinator', await issueCertificate(ca, request));
 */
export function writeCertificateFiles(
  dir: string,
  name: string,
  bundle: CertificateBundle,
  options: { overwrite?: boolean } = {},
): { certPath: string; keyPath: string } {
  const paths = certificateFilePaths(dir, name);
  const overwrite = options.overwrite ?? false;
  if (!overwrite) {
    const existing = [paths.keyPath, paths.certPath].filter((p) => existsSync(p));
    if (existing.length > 0) throw new KeyFilesExistError(existing);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeKeyFile(paths.keyPath, bundle.keyPem, PRIVATE_KEY_FILE_MODE, overwrite);
  writeKeyFile(paths.certPath, bundle.certPem, PUBLIC_KEY_FILE_MODE, overwrite);
  fsyncDirectory(dir);
  return paths;
}
