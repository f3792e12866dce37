import { existsSync } from 'node:fs';
import { streamLog } from '../git/index.js';
import { isPartialClone, showPatchArgs } from '../history/index.js';
import { DEFAULT_DIFF_LIMITS, type DiffLimits, type FileDiff, UnifiedDiffParser } from '../history/unifiedDiff.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { credentialsFor } from '../sync/index.js';
import type { RequestContext } from './context.js';
import { ensureHistory } from './history.js';
import { resolveRepo } from './repoGate.js';

export type { DiffHunk, DiffLine, FileDiff } from '../history/unifiedDiff.js';

/** Bytes of `git show` output read at most; a commit larger than this shows its first files and says so. */
export const MAX_DIFF_BYTES = 8 * 1024 * 1024;
/** The most hunk lines per file a caller may ask for. */
export const MAX_LINES_PER_FILE = 5000;

export interface CommitDiff {
  repo: string;
  hash: string;
  /** The commit the diff is against (the first parent); null for a root commit. */
  parent: string | null;
  files: FileDiff[];
  /** The output was cut at MAX_DIFF_BYTES: files after the last one listed have no diff here. */
  truncated: boolean;
  limits: { linesPerFile: number; totalLines: number };
}

/**
 * The patch of one commit of the default branch against its first parent (`git show --patch`), parsed into files
 * and hunks with old and new line numbers. Hunk lines are capped per file and in all; binary files say so.
 */
export async function commitDiff(params: { repo: string; hash: string; linesPerFile?: number }, ctx: RequestContext): Promise<CommitDiff> {
  ctx.signal.throwIfAborted();
  const app = ctx.services;
  const repo = await resolveRepo(ctx, params.repo);
  const wanted = params.hash.trim().toLowerCase();
  if (!/^[0-9a-f]{4,40}$/.test(wanted)) {
    throw new GitloreError(ERROR_CODES.QUERY_INVALID, `${JSON.stringify(params.hash)} is not a commit hash.`, {
      hint: 'Give a full hash or a prefix of at least 4 hex digits, as printed by `gitlore log`.',
    });
  }
  const linesPerFile = params.linesPerFile ?? DEFAULT_DIFF_LIMITS.linesPerFile;
  if (!Number.isInteger(linesPerFile) || linesPerFile < 1 || linesPerFile > MAX_LINES_PER_FILE) {
    throw new GitloreError(ERROR_CODES.QUERY_INVALID, `linesPerFile must be a whole number from 1 to ${MAX_LINES_PER_FILE}.`);
  }
  await ensureHistory(app, repo, { signal: ctx.signal });
  const found = await app.store.history.findCommit(repo.id, wanted);
  if (!found.commit) {
    if (found.ambiguous.length > 1) {
      throw new GitloreError(ERROR_CODES.QUERY_INVALID, `The prefix ${wanted} matches several commits in ${repo.name}.`, {
        hint: 'Give more digits of the hash.',
      });
    }
    throw new GitloreError(ERROR_CODES.COMMIT_NOT_FOUND, `No commit ${wanted} in the history of ${repo.name}'s default branch.`, {
      hint: `Check the hash with \`gitlore log --repo ${repo.name}\`; run \`gitlore sync repo ${repo.name}\` if it is newer than the last sync.`,
    });
  }
  const commit = found.commit;
  if (!existsSync(repo.localPath)) {
    throw new GitloreError(
      ERROR_CODES.NOT_SYNCED,
      `${repo.name} has no clone here, so the diff of ${commit.hash.slice(0, 10)} cannot be read.`,
      {
        hint: `Run \`gitlore sync repo ${repo.name}\`.`,
      },
    );
  }
  const credentials = credentialsFor(app, repo);
  // Same rename rule as the ingest and the line counts: identical content only in a partial clone.
  const args = showPatchArgs(commit, await isPartialClone(repo.localPath, ctx.signal));
  const limits: DiffLimits = { ...DEFAULT_DIFF_LIMITS, linesPerFile };
  const parser = new UnifiedDiffParser(limits);
  let bytes = 0;
  let truncated = false;
  for await (const chunk of streamLog(args, { cwd: repo.localPath, credentials, signal: ctx.signal })) {
    const room = MAX_DIFF_BYTES - bytes;
    if (chunk.length > room) {
      // Stop here: the rest is not read (streamLog stops git when the loop ends); the file cut short says so.
      parser.push(chunk.subarray(0, room));
      truncated = true;
      break;
    }
    bytes += chunk.length;
    parser.push(chunk);
  }
  const files = parser.end();
  if (truncated) {
    const last = files[files.length - 1];
    if (last) last.truncated = true;
  }
  return {
    repo: repo.name,
    hash: commit.hash,
    parent: commit.parents[0] ?? null,
    files,
    truncated,
    limits: { linesPerFile: limits.linesPerFile, totalLines: limits.totalLines },
  };
}
