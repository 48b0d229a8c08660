/** What `fedflow keys` and `fedflow keys show` do (their options: cli/commands/keys.ts). */
import { toBase64 } from '../../shared/crypto/base64.js';
import { fingerprint, generateIdentity, ROLES } from '../../shared/crypto/identity.js';
import {
  KeyFilesExistError,
  loadKeyFile,
  writeIdentityFiles,
} from '../../shared/crypto/key-files.js';
import type { KeysCommandOptions, WriteOutput } from '../commands/keys.js';

export function createIdentity(options: KeysCommandOptions, write: WriteOutput): void {
  // Checked here, not with requiredOption: `keys show` shares this command's options.
  const missing = (['role', 'name', 'out'] as const).filter((k) => options[k] === undefined);
  if (missing.length > 0)
    throw new Error(
      `keys: missing ${missing.map((k) => `--${k}`).join(', ')} (usage: fedflow keys --role ${ROLES.join('|')} --name NAME --out DIR)`,
    );
  const identity = generateIdentity(options.role!, options.name!);
  let paths: { publicPath: string; privatePath: string };
  try {
    paths = writeIdentityFiles(options.out!, identity, { overwrite: options.force ?? false });
  } catch (error) {
    if (error instanceof KeyFilesExistError)
      throw new Error(
        `refusing to overwrite ${error.paths.join(', ')}: pass --force to replace the identity`,
      );
    throw error;
  }
  write(
    table([
      ['private key', `${paths.privatePath} (mode 0600; keep it on this machine)`],
      ['public key', `${paths.publicPath} (give this one to the other side)`],
      ['fingerprint', fingerprint(identity.signPublicKey)],
    ]),
  );
}

export function showKeyFile(file: string, write: WriteOutput): void {
  const { kind, identity } = loadKeyFile(file);
  write(
    table([
      ['file', `${file} (${kind} key)`],
      ['role', identity.role],
      ['name', identity.name],
      ['fingerprint', fingerprint(identity.signPublicKey)],
      ['sign public key', toBase64(identity.signPublicKey)],
      ['box public key', toBase64(identity.boxPublicKey)],
    ]),
  );
}

function table(rows: readonly [label: string, value: string][]): string {
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return rows.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}\n`).join('');
}
