import { dirname } from 'node:path';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import { isUnwritable, unwritableError } from '../../shared/storageErrors.js';

/** SQLite's ways of saying the file is damaged: result codes, and messages from FTS5 virtual tables. */
export function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  const message = (error as { message?: unknown })?.message;
  return (
    (typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code)) ||
    (typeof message === 'string' && /malformed|not a database|vtable constructor failed/i.test(message))
  );
}

export function corruptDatabaseError(path: string, error: unknown): GitloreError {
  return new GitloreError(ERROR_CODES.STORE_CORRUPT, `The index database ${path} is corrupt (${(error as Error).message}).`, {
    hint: 'Run `gitlore index --full` to set it aside, keep the repositories and API tokens it can still read, and rebuild the index.',
    cause: error,
  });
}

/** SQLite's `database is locked`: another connection held the write lock past the busy timeout. */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^SQLITE_BUSY/.test(code);
}

export function busyDatabaseError(path: string, error: unknown): GitloreError {
  return new GitloreError(
    ERROR_CODES.LOCKED,
    `Another process is writing to the database ${path} and kept it locked (${(error as Error).message}).`,
    {
      hint: 'Wait for the other gitlore process (or any other program using the file) to finish, then try again.',
      cause: error,
    },
  );
}

/**
 * Wraps every method of a domain store so a corruption error surfaces as STORE_CORRUPT with the fix, and a
 * write the disk refuses (read-only, full) as STORE_UNWRITABLE, a busy database as LOCKED, whichever caller
 * hit it; other errors pass through unchanged.
 */
export function guardCorruption<T extends object>(store: T, path: string): T {
  const translate = (error: unknown): never => {
    if (isCorruption(error)) throw corruptDatabaseError(path, error);
    if (isUnwritable(error)) throw unwritableError(dirname(path), error);
    throw isBusy(error) ? busyDatabaseError(path, error) : error;
  };
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      let guarded = wrapped.get(key);
      if (!guarded) {
        guarded = (...args: unknown[]) => {
          try {
            const result = value.apply(target, args);
            return result instanceof Promise ? result.catch(translate) : result;
          } catch (error) {
            return translate(error);
          }
        };
        wrapped.set(key, guarded);
      }
      return guarded;
    },
  });
}
