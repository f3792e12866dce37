import { toGitloreError } from '../shared/errors.js';
import { redact } from '../shared/redact.js';
import { EXIT_FAILURE, exitCodeFor } from './exitCodes.js';

/**
 * Wraps a command action: a thrown error becomes one line on stderr and the
 * exit code for its cause; process.exitCode is set rather than exiting, so
 * pending output is flushed.
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<unknown>) {
  return async (...args: A): Promise<void> => {
    try {
      const code = await fn(...args);
      if (typeof code === 'number' && code !== 0) process.exitCode = code;
    } catch (error) {
      reportError(error);
    }
  };
}

export function reportError(error: unknown): void {
  const err = toGitloreError(error);
  process.stderr.write(`gitlore: ${redact(err.toLine())}\n`);
  if (err.code === 'INTERNAL' && process.env.GITLORE_DEBUG && err.cause instanceof Error && err.cause.stack) {
    process.stderr.write(`${redact(err.cause.stack)}\n`);
  }
  process.exitCode = err.code === 'INTERNAL' ? EXIT_FAILURE : exitCodeFor(err.code);
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
