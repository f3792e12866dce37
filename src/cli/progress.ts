import type { CliStream } from './render.js';

export interface Progress {
  /** True when a live bar is drawn (a terminal); plain lines otherwise. */
  readonly live: boolean;
  /**
   * Starts a step: a bar of `total` items, or with total 0 a phase without a count (shown with its
   * elapsed time). On a terminal an earlier bar stays on screen above the new one.
   */
  start(total: number, label: string): void;
  /** Advances by one and shows what just finished. */
  tick(detail?: string): void;
  /** Shows what the current step is doing next to the bar (only on a live bar). */
  detail(text: string): void;
  /** Any other line (warnings) without breaking the bar. */
  note(line: string): void;
  stop(): void;
}

/** The stderr of one CLI run: it owns the live bar, so log lines never garble it. */
export interface Terminal {
  /** True when progress is drawn as a live bar (stderr is a terminal, not CI, not --quiet). */
  readonly live: boolean;
  /** Writes one line (a log line, a notice); with a bar on screen it goes above the bar, which is redrawn. */
  line(text: string): void;
  /** Progress for a long command: a live bar on a terminal, plain lines elsewhere, nothing when quiet. */
  progress(options?: { quiet?: boolean }): Progress;
}

const CLEAR_LINE = '\r\x1b[K';
const REDRAW_MS = 100;
const BAR_WIDTH = 30;
const silent: Progress = { live: false, start() {}, tick() {}, detail() {}, note() {}, stop() {} };

export function createTerminal(stream: CliStream, options: { quiet?: boolean; env?: Record<string, string | undefined> } = {}): Terminal {
  const live = !options.quiet && stream.isTTY === true && !options.env?.CI;
  let bar: LiveBar | null = null;
  const line = (text: string) => {
    if (!bar) {
      stream.write(`${text}\n`);
      return;
    }
    bar.clear();
    stream.write(`${text}\n`);
    bar.draw();
  };
  return {
    live,
    line,
    progress(progressOptions = {}) {
      if (options.quiet || progressOptions.quiet) return silent;
      if (!live) return plainProgress(line);
      bar ??= new LiveBar(stream);
      const owned = bar;
      return {
        live: true,
        start: (total, label) => owned.start(total, label),
        tick: (detail) => owned.tick(detail),
        detail: (text) => owned.setDetail(text),
        note: line,
        stop: () => {
          owned.stop();
          if (bar === owned) bar = null;
        },
      };
    },
  };
}

/** CI logs and pipes: one line per finished item and per phase, no control characters. */
function plainProgress(line: (text: string) => void): Progress {
  let done = 0;
  let total = 0;
  let label = '';
  return {
    live: false,
    start(t, l) {
      [done, total, label] = [0, t, l];
      if (t === 0) line(l);
    },
    tick(detail) {
      done += 1;
      line(`${label} ${done}/${total}${detail ? ` ${detail}` : ''}`);
    },
    detail() {},
    note: line,
    stop() {},
  };
}

/** One status line at the bottom of the terminal, redrawn in place at most 10 times a second. */
class LiveBar {
  private label = '';
  private total = 0;
  private value = 0;
  private detail = '';
  private startedAt = 0;
  private shown = '';
  private active = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly stream: CliStream) {}

  start(total: number, label: string): void {
    if (this.active) this.finishLine();
    [this.total, this.label, this.value, this.detail, this.startedAt, this.active] = [total, label, 0, '', Date.now(), true];
    this.timer ??= setInterval(() => this.draw(), REDRAW_MS).unref();
    this.draw();
  }

  tick(detail?: string): void {
    this.value += 1;
    this.detail = detail ?? '';
    this.draw();
  }

  setDetail(text: string): void {
    this.detail = text;
  }

  /** Draws the current state unless the line on screen already shows it. */
  draw(): void {
    if (!this.active) return;
    const text = this.text();
    if (text === this.shown) return;
    this.stream.write(`${CLEAR_LINE}${text}`);
    this.shown = text;
  }

  clear(): void {
    if (!this.shown) return;
    this.stream.write(CLEAR_LINE);
    this.shown = '';
  }

  stop(): void {
    if (this.active) this.finishLine();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Leaves the step's last state on screen and moves below it. */
  private finishLine(): void {
    this.shown = '';
    this.draw();
    this.stream.write('\n');
    this.shown = '';
    this.active = false;
  }

  private text(): string {
    const detail = this.detail ? ` ${this.detail}` : '';
    let text: string;
    if (this.total > 0) {
      const filled = Math.round((Math.min(this.value, this.total) / this.total) * BAR_WIDTH);
      text = `${this.label} [${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${this.value}/${this.total}${detail}`;
    } else {
      text = `${this.label}${detail} ${elapsed(Date.now() - this.startedAt)}`;
    }
    // A line wider than the terminal wraps, and the next redraw would then clear only its last row.
    // A pseudo-terminal may report 0 columns: assume the usual 80.
    const width = Math.max(20, (this.stream.columns || 80) - 1);
    return text.length > width ? `${text.slice(0, width - 1)}…` : text;
  }
}

function elapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}
