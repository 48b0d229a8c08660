/**
 * How a process logs: its level and format, from the program's options and the environment.
 * Kept apart from the logger so the program can read it without loading pino.
 */

/** pino's levels, least to most severe, and `silent`. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'text'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LogSettings {
  readonly level: LogLevel;
  readonly format: LogFormat;
}

function parseChoice<T extends string>(value: string, allowed: readonly T[], source: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`${source}: unknown value '${value}': expected one of ${allowed.join(', ')}`);
}

/**
 * The level and format a process logs with. Level: `level` (--log-level), else
 * FEDFLOW_LOG_LEVEL, else info; `quiet` keeps warnings and errors only. Format:
 * FEDFLOW_LOG_FORMAT (json or text), else text on a terminal and JSON otherwise.
 * @example logSettings({ quiet: true }, false) // { level: 'warn', format: 'json' }
 */
export function logSettings(
  options: { level?: string; quiet?: boolean } = {},
  isTTY = Boolean(process.stderr.isTTY),
  env: NodeJS.ProcessEnv = process.env,
): LogSettings {
  const asked = options.level ?? env.FEDFLOW_LOG_LEVEL ?? 'info';
  const source = options.level === undefined ? 'FEDFLOW_LOG_LEVEL' : '--log-level';
  let level = parseChoice(asked, LOG_LEVELS, source);
  if (options.quiet && LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf('warn')) level = 'warn';
  const format = env.FEDFLOW_LOG_FORMAT
    ? parseChoice(env.FEDFLOW_LOG_FORMAT, LOG_FORMATS, 'FEDFLOW_LOG_FORMAT')
    : isTTY
      ? 'text'
      : 'json';
  return { level, format };
}

/** Whether errors reach a person reading text (not a JSON consumer), from the same rule. */
export function readableLogs(
  isTTY = Boolean(process.stderr.isTTY),
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.FEDFLOW_LOG_FORMAT === 'text') return true;
  return isTTY && env.FEDFLOW_LOG_FORMAT !== 'json';
}
