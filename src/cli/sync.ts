import type { SyncEvent, SyncReport } from '../core/syncRepos.js';
import type { CliContext, RegisterCommand } from './context.js';
import { EXIT_FAILURE } from './exitCodes.js';
import { formatAgo, formatDuration, type Output } from './render.js';
import { withInterrupt } from './run.js';

interface SyncFlags {
  json?: boolean;
  prune?: boolean;
}

async function runSync(ctx: CliContext, names: string[] | undefined, opts: SyncFlags): Promise<number> {
  const app = await ctx.app();
  const [{ syncRepos }, { createContext }] = await Promise.all([import('../core/syncRepos.js'), import('../core/context.js')]);
  const progress = ctx.terminal.progress();
  const onEvent = (event: SyncEvent) => {
    if (event.type === 'discovered') progress.note(`sources list ${event.repos} repositories (${event.filtered} filtered out)`);
    else if (event.type === 'start') progress.start(event.total, 'sync');
    else if (event.type === 'repo-done') {
      const r = event.result;
      progress.tick(`${r.name} ${r.status}${r.error ? `: ${r.error}` : ''}`);
    }
  };
  let report: SyncReport;
  try {
    report = await withInterrupt((signal) =>
      syncRepos(
        // History is ingested right after each clone/update, so `gitlore log` works before `gitlore index`.
        { names, prune: opts.prune, history: true },
        createContext(app, { signal, emit: (event) => onEvent(event as SyncEvent) }),
      ),
    );
  } finally {
    progress.stop();
  }
  if (opts.json) ctx.out.json(report);
  else printReport(ctx.out, report);
  return report.totals.failed > 0 ? EXIT_FAILURE : 0;
}

function printReport(out: Output, report: SyncReport): void {
  const shown = report.repos.filter((r) => r.status !== 'unchanged' || report.repos.length <= 30);
  if (shown.length > 0) {
    out.table(
      ['name', 'status', 'head', 'took', 'error'],
      shown.map((r) => [r.name, r.status, r.headCommit?.slice(0, 8), formatDuration(r.durationMs), r.error ?? '']),
    );
  }
  const t = report.totals;
  const parts = (['cloned', 'updated', 'unchanged', 'failed', 'gone', 'pruned'] as const)
    .filter((k) => t[k] > 0)
    .map((k) => `${t[k]} ${k}`);
  out.line(`synced ${t.total} repositories in ${formatDuration(report.durationMs)}${parts.length ? `: ${parts.join(', ')}` : ''}`);
  if (t.total === 0)
    out.line('nothing to sync: set GITHUB_ORG / GITHUB_USER, add sources to gitlore.config.json, or run `gitlore repo add`');
  if (t.gone > 0) out.line('repositories marked gone are no longer upstream; `gitlore sync --prune` deletes them');
}

export const registerSync: RegisterCommand = (program, ctx) => {
  const sync = program.command('sync').description('clone new and update existing repositories from every source, in parallel');

  sync
    .command('all', { isDefault: true })
    .description('sync every source and registered repository (the default)')
    .option('--prune', 'delete repositories that are gone upstream (clone, index and history)')
    .option('--json', 'print the sync report as one JSON document')
    .action(ctx.action(async (opts: SyncFlags) => runSync(ctx, undefined, opts)));

  sync
    .command('repo')
    .description('sync the named repositories only (no source listing)')
    .argument('<name...>', 'names shown by `gitlore repo list`')
    .option('--json', 'print the sync report as one JSON document')
    .action(ctx.action(async (names: string[], opts: SyncFlags) => runSync(ctx, names, opts)));

  sync
    .command('status')
    .description('per repository: sync status, head commit, last sync, duration and error')
    .option('--json', 'print one JSON document')
    .action(
      ctx.action(async (opts: { json?: boolean }) => {
        const app = await ctx.app();
        const [{ listRepos }, { createContext }] = await Promise.all([import('../core/repos.js'), import('../core/context.js')]);
        const repos = await listRepos({}, createContext(app));
        const rows = repos.map((r) => ({
          name: r.name,
          status: r.syncStatus,
          headCommit: r.headCommit,
          defaultBranch: r.defaultBranch,
          lastSyncAt: r.lastSyncAt,
          durationMs: r.lastSyncDurationMs,
          error: r.syncError,
          source: r.sourceKey,
        }));
        if (opts.json) return ctx.out.json({ repos: rows });
        if (rows.length === 0) return ctx.out.line('no repositories registered yet');
        ctx.out.table(
          ['name', 'status', 'head', 'last sync', 'took', 'error'],
          rows.map((r) => [
            r.name,
            r.status,
            r.headCommit?.slice(0, 8),
            formatAgo(r.lastSyncAt),
            formatDuration(r.durationMs),
            r.error ?? '',
          ]),
        );
      }),
    );
};
