/**
 * Structured logs (pino): JSON lines with real levels (info 30, warn 40, error 50) and fields
 * such as `role`, `site`, `round` for log shippers, or one readable line per event on a
 * terminal. Callers log facts, never payloads, keys or tokens.
 */
import pino, { type Logger } from 'pino';
import { type LogSettings, logSettings } from './log-settings.js';

/** Where log lines go: stderr, or anything that writes text and says whether it is a terminal. */
export interface LogOutput {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'role', 'site']);

/** Renders pino's JSON lines as `HH:MM:SS level [role site] message key=value ...`. */
export function humanLine(json: string): string {
  const event = JSON.parse(json) as Record<string, unknown>;
  const time = new Date(event.time as number).toISOString().slice(11, 19);
  const who = [event.role, event.site].filter(Boolean).join(' ');
  const fields = Object.entries(event)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const level = LEVEL_NAMES[event.level as number] ?? 'info';
  return `${time} ${level}${who ? ` [${who}]` : ''} ${event.msg ?? ''}${fields ? ` ${fields}` : ''}\n`;
}

function humanOutput(out: LogOutput): LogOutput {
  return {
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line) out.write(humanLine(line));
    },
  };
}

/**
 * A logger writing to `out` (stderr by default) with `settings` (by default from the
 * environment; see logSettings). Bindings are fields every line carries.
 * @example const log = createLogger({ role: 'coordinator' }); log.info({ round: 3 }, 'round closed');
 */
export function createLogger(
  bindings: { role?: string; site?: string },
  out: LogOutput = process.stderr,
  settings: LogSettings = logSettings({}, Boolean(out.isTTY)),
): Logger {
  return pino(
    {
      base: bindings,
      level: settings.level,
      timestamp: pino.stdTimeFunctions.epochTime,
    },
    settings.format === 'text' ? humanOutput(out) : out,
  );
}

const LEVEL_PREFIXES: readonly [prefix: string, level: 'warn' | 'error'][] = [
  ['warning: ', 'warn'],
  ['error: ', 'error'],
];

/**
 * Logs a line at the level it states: `warning: ...` at warn (40), `error: ...` at error
 * (50), the prefix dropped since the level says it; anything else at info. Parts that report
 * in such lines (roles, threshold checks) then reach a log shipper with real levels.
 * @example const log = lineLog(logger); log('warning: TLS is off');
 */
export function lineLog(logger: Logger): (line: string, fields?: Record<string, unknown>) => void {
  return (line, fields = {}) => {
    const match = LEVEL_PREFIXES.find(([prefix]) => line.startsWith(prefix));
    if (match) logger[match[1]](fields, line.slice(match[0].length));
    else logger.info(fields, line);
  };
}
