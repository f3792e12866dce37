import type { IndexRepoState, IndexStore } from './indexStore.js';

/** What every store's write side implements (the rest of the port is its query side). */
export type IndexWriteMethods = Pick<
  IndexStore,
  | 'getState'
  | 'listStates'
  | 'setState'
  | 'applyBatch'
  | 'beginRebuild'
  | 'commitRebuild'
  | 'removeStaleRows'
  | 'beginBulkWrites'
  | 'putVectors'
  | 'setMeta'
  | 'pruneVectors'
>;

/**
 * Chunks deleted since the last scan for orphaned vectors. Orphans only take disk space (and a
 * chunk with the same content reuses its vector), so the scan, which reads every chunk row, waits
 * until this many have gone: at most ~40 MB of stale 512-dim vectors.
 */
export const PRUNE_AFTER_DEAD_CHUNKS = 20_000;
/** Files of stale rows deleted per transaction (with their chunks, symbols and FTS rows; tens of milliseconds). */
export const STALE_FILES_PER_DELETE = 200;

/** index_repos columns of each state field (the same in every store). */
export const STATE_COLUMNS: Record<string, string> = {
  commit: 'commit_sha',
  pendingCommit: 'pending_commit',
  indexedAt: 'indexed_at',
  durationMs: 'duration_ms',
  status: 'status',
  errors: 'errors',
  skipped: 'skipped',
  formatVersion: 'format_version',
  vendoredRoots: 'vendored_roots',
};

/** State fields stored as JSON text. */
const JSON_STATE_FIELDS: ReadonlySet<string> = new Set(['errors', 'vendoredRoots']);

/** An index_repos row as the state the port returns. */
export function toIndexState(row: Record<string, unknown> | undefined | null): IndexRepoState | null {
  if (!row) return null;
  return {
    repoId: row.repo_id as number,
    commit: (row.commit_sha as string | null) ?? null,
    pendingCommit: (row.pending_commit as string | null) ?? null,
    indexedAt: (row.indexed_at as string | null) ?? null,
    durationMs: (row.duration_ms as number | null) ?? null,
    status: row.status as IndexRepoState['status'],
    errors: JSON.parse((row.errors as string) || '[]') as string[],
    skipped: row.skipped as number,
    formatVersion: (row.format_version as number | undefined) ?? 0,
    vendoredRoots: JSON.parse((row.vendored_roots as string | undefined) || '[]') as string[],
  };
}

/** The columns and values a state update sets, in order (errors and vendored roots as JSON). */
export function stateAssignments(update: Partial<Omit<IndexRepoState, 'repoId'>>): [column: string, value: unknown][] {
  const out: [string, unknown][] = [];
  for (const [key, value] of Object.entries(update)) {
    const column = STATE_COLUMNS[key];
    if (!column || value === undefined) continue;
    out.push([column, JSON_STATE_FIELDS.has(key) ? JSON.stringify(value) : value]);
  }
  return out;
}

type ChunkRange = { startLine: number; endLine: number; context: string | null };

/** `IndexStore.fileChunks` from a page of files and their chunk rows (ordered by file, then line). */
export function filesWithChunks(
  files: { id: number; content: string }[],
  rows: (ChunkRange & { fileId: number })[],
): { fileId: number; content: string; chunks: ChunkRange[] }[] {
  const byFile = new Map<number, ChunkRange[]>();
  for (const r of rows) {
    const list = byFile.get(r.fileId) ?? [];
    list.push({ startLine: r.startLine, endLine: r.endLine, context: r.context });
    byFile.set(r.fileId, list);
  }
  return files.map((f) => ({ fileId: f.id, content: f.content, chunks: byFile.get(f.id) ?? [] }));
}
