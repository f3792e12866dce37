import { redact } from '../shared/redact.js';

/** Where a command writes: a process stream, or a buffer when the CLI runs in-process (tests). */
export interface CliStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** A command's data output (stdout): one JSON document, or lines and tables for people. */
export interface Output {
  /** One JSON document (and nothing else on stdout). */
  json(value: unknown): void;
  /** One line, secrets redacted. */
  line(text?: string): void;
  /** A plain aligned table; columns sized to content. */
  table(headers: string[], rows: (string | number | null | undefined)[][]): void;
  /** Text exactly as given: only for a secret the user asked to see (a new API token). */
  raw(text: string): void;
  /** Part of a line as it streams in (an answer being written), secrets redacted. */
  stream(text: string): void;
}

export function createOutput(stream: CliStream): Output {
  const line = (text = '') => {
    stream.write(`${redact(text)}\n`);
  };
  return {
    json(value) {
      stream.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    line,
    table(headers, rows) {
      const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '-' : String(c))))];
      const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
      for (const [index, row] of cells.entries()) {
        line(
          row
            .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
            .join('  ')
            .trimEnd(),
        );
        if (index === 0) line(widths.map((w) => '-'.repeat(w)).join('  '));
      }
    },
    raw(text) {
      stream.write(text);
    },
    stream(text) {
      stream.write(redact(text));
    },
  };
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}

export function formatAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)}h ago`;
  return `${Math.round(seconds / 86_400)}d ago`;
}
