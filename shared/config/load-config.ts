/**
 * Loads one role's settings: defaults < config file < environment < overrides, validated
 * strictly (an unknown key is an error), with relative paths resolved against the file.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import convict from 'convict';

const PATH_KEYS = [
  'stateDir',
  'privateKey',
  'clients',
  'allowListFile',
  'data.csvSchema',
  'data.files',
  'coordinator.publicKey',
  'tls.ca',
  'tls.cert',
  'tls.key',
];

export function loadConfig<S extends object>(
  schema: S,
  file: string | undefined,
  overrides: Record<string, unknown>,
) {
  const config = convict(schema);
  if (file) config.loadFile(file);
  for (const [key, value] of Object.entries(overrides))
    if (value !== undefined) config.set(key as never, value as never);
  config.validate({ allowed: 'strict' });
  const base = file ? dirname(resolve(file)) : process.cwd();
  const absolute = (p: string) => (p === '' || isAbsolute(p) ? p : resolve(base, p));
  for (const key of PATH_KEYS) {
    if (!config.has(key as never)) continue;
    const value = config.get(key as never) as unknown;
    config.set(
      key as never,
      (Array.isArray(value) ? value.map(absolute) : absolute(value as string)) as never,
    );
  }
  return config.getProperties();
}
