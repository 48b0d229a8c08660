/**
 * `fedflow keys`: create an identity's key files, or show whose a key file is
 * (`fedflow keys show FILE`) without ever printing a secret.
 */
import { type Command, Option } from 'commander';
import { toBase64 } from '../../shared/crypto/base64.js';
import { fingerprint, generateIdentity, ROLES, type Role } from '../../shared/crypto/identity.js';
import {
  KeyFilesExistError,
  loadKeyFile,
  writeIdentityFiles,
} from '../../shared/crypto/key-files.js';

interface KeysCommandOptions {
  role?: Role;
  name?: string;
  out?: string;
  force?: boolean;
}

/** Where the command prints its results (stdout unless a test captures them). */
export type WriteOutput = (text: string) => void;

const toStdout: WriteOutput = (text) => {
  process.stdout.write(text);
};

/**
 * Adds `keys` (generate) and `keys show` to `program`.
 * @example registerKeys(program); // fedflow keys --role client --name acme --out state/keys
 */
export function registerKeys(program: Command, write: WriteOutput = toStdout): void {
  const keys = program
    .command('keys')
    .description(
      'create an identity: NAME.private.json (mode 0600, stays on this machine) and NAME.public.json (give it to the other side)',
    )
    .addOption(new Option('--role <role>', 'who the keys are for').choices([...ROLES]))
    .option('--name <name>', 'identity name (letters, digits, . _ -), also the file name')
    .option('--out <dir>', 'directory to write the key files to (created with mode 0700)')
    .option('--force', 'replace existing key files (whoever held the old key is locked out)')
    .action((options: KeysCommandOptions) => {
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
    });

  keys
    .command('show <file>')
    .description('print the role, name, fingerprint and public keys of a key file (never a secret)')
    .action((file: string) => {
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
    });
}

function table(rows: readonly [label: string, value: string][]): string {
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return rows.map(([label, value]) => `${`${label}:`.padEnd(width)}${value}\n`).join('');
}
