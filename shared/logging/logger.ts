/**
 * Structured logs (pino): JSON lines with fields such as `role`, `site`, `round` for log
 * shippers, or one readable line per event when stderr is a terminal. Callers log facts,
 * never payloads, keys or tokens.
 */
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

/** Renders pino's JSON lines as `HH:MM:SS level [role site] message key=value ...`. */
function humanStream(out: NodeJS.WriteStream): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        const event = JSON.parse(line) as Record<string, unknown>;
        const time = new Date(event.time as number).toISOString().slice(11, 19);
        const who = [event.role, event.site].filter(Boolean).join(' ');
        const fields = Object.entries(event)
          .filter(([k]) => !HIDDEN.has(k) && k !== 'role' && k !== 'site')
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' ');
        out.write(
          `${time} ${LEVELS[event.level as number] ?? 'info'}${who ? ` [${who}]` : ''} ${event.msg ?? ''}${fields ? ` ${fields}` : ''}\n`,
        );
      }
      done();
    },
  });
}

/**
 * A logger for one role. JSON to stderr unless it is a terminal (or FEDFLOW_LOG_FORMAT=json).
 * @example const log = createLogger({ role: 'coordinator' }); log.info({ round: 3 }, 'round closed');
 */
export function createLogger(
  bindings: { role: string; site?: string },
  stream: NodeJS.WriteStream = process.stderr,
): Logger {
  const human = stream.isTTY && process.env.FEDFLOW_LOG_FORMAT !== 'json';
  const destination = human ? humanStream(stream) : stream;
  return pino(
    {
      base: bindings,
      level: process.env.FEDFLOW_LOG_LEVEL ?? 'info',
      timestamp: pino.stdTimeFunctions.epochTime,
    },
    destination,
  );
}

const LEVEL_PREFIXES: readonly [prefix: string, level: 'warn' | 'error'][] = [
  ['warning: ', 'warn'],
  ['error: ', 'error'],
];

/**
 * Logs a line at the level it states: `warning: ...` at warn (40), `error: ...` at error
 * (50), the prefix dropped since the level says it; anything else at info. The roles' parts
 * log such lines, so a log shipper can filter on real levels.
 * @example const log = lineLog(logger); log('warning: TLS is off');
 */
export function lineLog(logger: Logger): (line: string, fields?: Record<string, unknown>) => void {
  return (line, fields = {}) => {
    const match = LEVEL_PREFIXES.find(([prefix]) => line.startsWith(prefix));
    if (match) logger[match[1]](fields, line.slice(match[0].length));
    else logger.info(fields, line);
  };
}
