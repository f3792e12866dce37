import type { GitCredentials } from '../git/index.js';
import type { HistoryFileRow, HistoryStore } from '../store/index.js';
import { runGit } from './git.js';

interface NumstatEntry {
  path: string;
  oldPath: string | null;
  added: number;
  removed: number;
}

/** Parses `git show -z --numstat --format=`: `A\tR\tpath\0` or `A\tR\t\0old\0new\0`; binary is `-\t-` (→ -1). */
export function parseNumstatZ(text: string): NumstatEntry[] {
  const out: NumstatEntry[] = [];
  const parts = text.split('\0');
  let i = 0;
  while (i < parts.length) {
    const head = (parts[i] ?? '').replace(/^\n+/, '');
    i++;
    if (head === '') continue;
    const m = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(head);
    if (!m) continue;
    const added = m[1] === '-' ? -1 : Number(m[1]);
    const removed = m[2] === '-' ? -1 : Number(m[2]);
    if (m[3] === '') {
      const oldPath = parts[i] ?? '';
      const path = parts[i + 1] ?? '';
      i += 2;
      out.push({ path, oldPath, added, removed });
    } else {
      out.push({ path: m[3] ?? '', oldPath: null, added, removed });
    }
  }
  return out;
}

/**
 * Line counts are computed on first request (a few ms per commit with
 * `git show --numstat`) and cached: `--numstat` over a whole history costs
 * about five times `--name-status`, and only commit details need the counts.
 */
export async function fillLineCounts(
  history: HistoryStore,
  localPath: string,
  commit: { id: number; hash: string; parents: string[] },
  files: HistoryFileRow[],
  /** `credentials`: the token for the clone's remote; a partial clone fetches the commit's blobs from it. */
  options: { signal?: AbortSignal; credentials?: GitCredentials | null } = {},
): Promise<HistoryFileRow[]> {
  const merge = commit.parents.length > 1;
  if (!merge && files.every((f) => f.added !== null)) return files;
  // Same rename rule as the ingest: identical content only in a partial clone.
  const partial = ((await runGit(localPath, ['config', '--get-regexp', '^remote\\..*\\.promisor$'], { allowFail: true })) ?? '').includes(
    'true',
  );
  const renames = partial ? '--find-renames=100%' : '--find-renames';
  const args = ['-c', 'core.quotePath=false', 'show', '-z', '--numstat', renames, '--format=', '--no-color', '--no-ext-diff'];
  if (merge) args.push('--diff-merges=first-parent');
  args.push(commit.hash, '--');
  const out = await runGit(localPath, args, { signal: options.signal, credentials: options.credentials, allowFail: true, zFields: true });
  if (out === null) return files; // clone gone or commit pruned: keep what is stored.
  const entries = parseNumstatZ(out);
  if (merge) {
    // Merges store no files (as `git log` shows none); their detail is the diff against the first parent.
    const nameStatus = await runGit(
      localPath,
      ['-c', 'core.quotePath=false', 'show', '-z', '--name-status', renames, '--format=', '--diff-merges=first-parent', commit.hash, '--'],
      { signal: options.signal, credentials: options.credentials, allowFail: true, zFields: true },
    );
    const statuses = new Map<string, string>();
    if (nameStatus) {
      const parts = nameStatus.split('\0');
      for (let i = 0; i < parts.length; ) {
        const status = (parts[i] ?? '').replace(/^\n+/, '');
        if (status === '') {
          i++;
          continue;
        }
        if (status.startsWith('R') || status.startsWith('C')) {
          statuses.set(parts[i + 2] ?? '', status[0] ?? 'M');
          i += 3;
        } else {
          statuses.set(parts[i + 1] ?? '', status[0] ?? 'M');
          i += 2;
        }
      }
    }
    return entries.map((e) => ({
      status: (statuses.get(e.path) ?? (e.oldPath ? 'R' : 'M')) as HistoryFileRow['status'],
      path: e.path,
      oldPath: e.oldPath,
      added: e.added,
      removed: e.removed,
    }));
  }
  const byPath = new Map(entries.map((e) => [e.path, e]));
  const filled = files.map((f) => {
    const e = byPath.get(f.path);
    return e ? { ...f, added: e.added, removed: e.removed } : f;
  });
  await history.setLineCounts(
    commit.id,
    filled.filter((f) => f.added !== null).map((f) => ({ path: f.path, added: f.added as number, removed: f.removed as number })),
  );
  return filled;
}
