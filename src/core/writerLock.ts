import { ERROR_CODES, GitloreError, toGitloreError } from '../shared/errors.js';
import { describeHolder, type WriterLease } from '../store/index.js';
import type { RequestContext } from './context.js';

/**
 * Runs `write` holding the store's writer lock, so two index, sync or ingest runs (CLI commands, jobs of
 * `serve`, several processes) never write at once. A busy lock is waited on for GITLORE_LOCK_WAIT seconds,
 * then the run fails with LOCKED naming the holder. `scope` names the only repositories `write` changes, so a
 * PostgreSQL store lets writers of other repositories run beside it.
 */
export async function withWriterLock<T>(
  ctx: RequestContext,
  task: 'indexing' | 'syncing' | 'removing' | 'copying',
  write: () => Promise<T>,
  scope?: readonly string[],
): Promise<T> {
  const { config, store, log } = ctx.services;
  const waitSec = config.lockWaitSec;
  let lease: WriterLease;
  try {
    lease = await store.writer.acquire({
      command: ctx.services.invocation,
      task,
      waitMs: waitSec * 1000,
      signal: ctx.signal,
      ...(scope ? { scope } : {}),
      onWait: (holder) => log.info(`${describeHolder(holder)} is writing; waiting up to ${waitSec}s for it to finish`),
    });
  } catch (error) {
    const err = toGitloreError(error);
    if (err.code !== ERROR_CODES.LOCKED) throw error;
    throw new GitloreError(ERROR_CODES.LOCKED, err.message, {
      hint: waitSec > 0 ? `Waited ${waitSec}s (GITLORE_LOCK_WAIT).` : 'Set GITLORE_LOCK_WAIT to wait for it (seconds).',
      cause: error,
    });
  }
  try {
    return await write();
  } finally {
    await lease.release();
  }
}
