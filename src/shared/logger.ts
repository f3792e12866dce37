import { redact } from './redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(tag: string): Logger;
  readonly level: LogLevel;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; stderr by default so stdout stays for data. */
  write?: (line: string) => void;
  /** JSON lines instead of human text (for `serve` behind a log collector). */
  json?: boolean;
}

export function createLogger(tag: string, options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const json = options.json ?? false;

  const emit = (lvl: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < ORDER[level]) return;
    if (json) {
      // Each string is redacted before serializing: JSON escapes (quotes, backslashes) would hide a secret from a
      // redaction of the finished line. The line is redacted again for anything a field's toJSON produced.
      const entry: Record<string, unknown> = { time: new Date().toISOString(), level: lvl, tag, msg: message };
      for (const [key, value] of Object.entries(fields ?? {})) if (!(key in entry)) entry[key] = value;
      write(redact(JSON.stringify(redactDeep(entry))));
      return;
    }
    const extra = fields && Object.keys(fields).length > 0 ? ` ${formatFields(redactDeep(fields) as Record<string, unknown>)}` : '';
    write(redact(`[${tag}] ${lvl === 'info' ? '' : `${lvl}: `}${message}${extra}`));
  };

  return {
    level,
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (child) => createLogger(`${tag}:${child}`, options),
  };
}

/** A copy of a log field value with every string in it redacted (errors as their message). */
function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (value instanceof Error) return redact(value.message);
  if (depth > 5 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, depth + 1)]));
}

function formatFields(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

/** A logger that drops everything (tests, `--json` runs that want silence). */
export const silentLogger: Logger = createLogger('silent', { level: 'silent' });
