import cliProgress from 'cli-progress';

export interface Progress {
  /** True when a live bar is drawn (a terminal); plain lines otherwise. */
  readonly live: boolean;
  /** Sets the total number of steps. */
  start(total: number, label: string): void;
  /** Advances by one and shows what just finished. */
  tick(detail?: string): void;
  /** Shows what the current step is doing next to the bar (only on a live bar). */
  detail(text: string): void;
  /** Any other line (warnings) without breaking the bar. */
  note(line: string): void;
  stop(): void;
}

/**
 * A progress bar on stderr when it is a terminal; plain lines otherwise
 * (so CI logs and pipes stay readable); nothing at all when quiet.
 */
export function createProgress(options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet) return { live: false, start() {}, tick() {}, detail() {}, note() {}, stop() {} };
  if (!stream.isTTY || process.env.CI) {
    let done = 0;
    let total = 0;
    let label = '';
    return {
      live: false,
      start(t, l) {
        total = t;
        label = l;
      },
      tick(detail) {
        done += 1;
        stream.write(`${label} ${done}/${total}${detail ? ` ${detail}` : ''}\n`);
      },
      detail() {},
      note(line) {
        stream.write(`${line}\n`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream, format: '{label} [{bar}] {value}/{total} {detail}', hideCursor: true, clearOnComplete: false },
    cliProgress.Presets.shades_classic,
  );
  return {
    live: true,
    start(total, label) {
      bar.start(total, 0, { label, detail: '' });
    },
    tick(detail) {
      bar.increment(1, { detail: detail ?? '' });
    },
    detail(text) {
      bar.update({ detail: text });
    },
    note(line) {
      stream.write(`\r\x1b[K${line}\n`);
    },
    stop() {
      bar.stop();
    },
  };
}
