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
      write(redact(JSON.stringify({ time: new Date().toISOString(), level: lvl, tag, msg: message, ...fields })));
      return;
    }
    const extra = fields && Object.keys(fields).length > 0 ? ` ${formatFields(fields)}` : '';
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

function formatFields(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

/** A logger that drops everything (tests, `--json` runs that want silence). */
export const silentLogger: Logger = createLogger('silent', { level: 'silent' });
