/**
 * `fedflow keys`: create an identity's key files, or show whose a key file is
 * (`fedflow keys show FILE`) without ever printing a secret.
 */
import { type Command, Option } from 'commander';
import { ROLES, type Role } from '../../shared/crypto/roles.js';

export interface KeysCommandOptions {
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
    .action(async (options: KeysCommandOptions) =>
      (await import('../actions/keys.js')).createIdentity(options, write),
    );

  keys
    .command('show <file>')
    .description('print the role, name, fingerprint and public keys of a key file (never a secret)')
    .action(async (file: string) => (await import('../actions/keys.js')).showKeyFile(file, write));
}
