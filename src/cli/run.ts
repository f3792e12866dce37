import { toGitloreError } from '../shared/errors.js';
import { redact } from '../shared/redact.js';
import { EXIT_FAILURE, exitCodeFor } from './exitCodes.js';

/**
 * Writes an error as one line (the stack too with GITLORE_DEBUG) and returns the exit code for its
 * cause. On a terminal, a hint that pictures where a query went wrong (a caret under the column)
 * follows the line.
 */
export function reportError(error: unknown, writeLine: (line: string) => void, debug = false, terminal = false): number {
  const err = toGitloreError(error);
  writeLine(`gitlore: ${redact(err.toLine())}`);
  if (terminal && err.hint?.includes('\n')) writeLine(redact(err.hint));
  if (err.code === 'INTERNAL' && debug && err.cause instanceof Error && err.cause.stack) {
    writeLine(redact(err.cause.stack));
  }
  return err.code === 'INTERNAL' ? EXIT_FAILURE : exitCodeFor(err.code);
}

/** Runs `fn` with a signal that aborts on SIGINT/SIGTERM, so long work stops cleanly between steps. */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await fn(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * A long command under withInterrupt with its progress shown: null when Ctrl-C (or SIGTERM) cancelled it, and the
 * progress stopped however it ended.
 */
export function untilInterrupted<T>(progress: { stop(): void }, fn: (signal: AbortSignal) => Promise<T>): Promise<T | null> {
  return withInterrupt(async (signal) => {
    try {
      return await fn(signal);
    } catch (error) {
      if (signal.aborted) return null;
      throw error;
    } finally {
      progress.stop();
    }
  });
}

/** Resolves on the first SIGINT/SIGTERM (a long-running command then shuts down cleanly); a second one exits at once. */
export function shutdownSignal(): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (signal: string) => {
      process.once(signal as NodeJS.Signals, () => process.exit(130));
      resolve(signal);
    };
    process.once('SIGINT', () => onSignal('SIGINT'));
    process.once('SIGTERM', () => onSignal('SIGTERM'));
  });
}
