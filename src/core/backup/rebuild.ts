import type { RequestContext } from '../context.js';
import { indexRepos } from '../indexRepos.js';
import { syncRepos } from '../syncRepos.js';
import type { RestoreReport } from './restore.js';

export interface RebuildReport {
  /** Repositories whose clone was not in the backup, cloned again from their origin. */
  synced: string[];
  /** Repositories indexed again (marked by the restore's check, or just cloned). */
  indexed: string[];
  /** What could not be brought back: the next `gitlore sync` / `gitlore index` (or `serve`) tries again. */
  failed: { repo: string; step: 'sync' | 'index'; error: string }[];
  tookMs: number;
}

/** Told before each step, so a caller can show the sync's and the index's own progress events apart. */
export type RebuildEvent = { type: 'rebuild-step'; step: 'sync' | 'index'; repos: number };

/**
 * Brings a restored installation to the answers it gave when backed up: clones again the repositories whose clone
 * was not in the backup (from their origin), then indexes every repository the restore's check marked (its clone,
 * indexed commit or index rows were missing) and those just cloned. Runs on the restored data dir's own services,
 * with the sync's and the index's progress events on `ctx.emit`.
 */
export async function rebuildRestored(report: Pick<RestoreReport, 'reindex' | 'resync'>, ctx: RequestContext): Promise<RebuildReport> {
  const started = performance.now();
  const failed: RebuildReport['failed'] = [];
  const synced: string[] = [];
  if (report.resync.length > 0) {
    ctx.emit({ type: 'rebuild-step', step: 'sync', repos: report.resync.length } satisfies RebuildEvent);
    const sync = await syncRepos({ names: report.resync, history: true }, ctx);
    for (const r of sync.repos) {
      if (r.status === 'failed' || r.status === 'gone') failed.push({ repo: r.name, step: 'sync', error: r.error ?? r.status });
      else synced.push(r.name);
    }
  }
  const cannot = new Set(failed.map((f) => f.repo));
  const names = [...new Set([...report.reindex.map((r) => r.repo), ...synced])].filter((name) => !cannot.has(name));
  const indexed: string[] = [];
  if (names.length > 0) {
    ctx.emit({ type: 'rebuild-step', step: 'index', repos: names.length } satisfies RebuildEvent);
    const index = await indexRepos({ names }, ctx);
    for (const r of index.repos) {
      if (r.status === 'failed') failed.push({ repo: r.repo, step: 'index', error: r.errors[0] ?? 'failed' });
      else indexed.push(r.repo);
    }
  }
  return { synced, indexed, failed, tookMs: Math.round(performance.now() - started) };
}
