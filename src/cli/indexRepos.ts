import type { Command } from 'commander';
import type { IndexEvent, IndexReport } from '../core/indexRepos.js';
import type { IndexStatusReport } from '../core/indexStatus.js';
import type { CliContext, RegisterCommand } from './context.js';
import { EXIT_FAILURE, EXIT_INTERRUPTED } from './exitCodes.js';
import type { Progress } from './progress.js';
import { formatAgo, formatDuration, type Output } from './render.js';
import { untilInterrupted } from './run.js';

interface IndexFlags {
  full?: boolean;
  repo?: string[];
  json?: boolean;
  embeddings?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];
/** Plain progress lines (CI logs, pipes) at most this often for files and embeddings. */
const PLAIN_EVERY_MS = 2000;

async function runIndex(ctx: CliContext, opts: IndexFlags): Promise<number> {
  if (opts.full) {
    // A corrupt database cannot even be opened: move it aside first and rebuild.
    const { recoverDamagedStore, describeRecovery } = await import('../core/recoverStore.js');
    const config = await ctx.config();
    const recovered = await recoverDamagedStore(config, {
      command: 'gitlore index --full',
      onWait: (holder) => ctx.terminal.line(`gitlore: ${holder} is writing; waiting up to ${config.lockWaitSec}s for it to finish`),
    });
    if (recovered.recovered) ctx.terminal.line(`gitlore: ${describeRecovery(recovered, config.dbPath)}`);
  }
  const app = await ctx.app();
  const [{ indexRepos }, { createContext }] = await Promise.all([import('../core/indexRepos.js'), import('../core/context.js')]);
  const progress = ctx.terminal.progress({ quiet: opts.json === true });
  const onEvent = showIndexProgress(progress);
  const report: IndexReport | null = await untilInterrupted(progress, (signal) =>
    indexRepos(
      { names: opts.repo, full: opts.full, skipEmbeddings: opts.embeddings === false },
      createContext(app, { signal, emit: (event) => onEvent(event as IndexEvent) }),
    ),
  );
  if (!report) {
    ctx.terminal.line('gitlore: index cancelled; what it indexed stays searchable, and the next `gitlore index` resumes.');
    return EXIT_INTERRUPTED;
  }
  if (opts.json) ctx.out.json(report);
  else printReport(ctx.out, report);
  return report.failed > 0 ? EXIT_FAILURE : 0;
}

/**
 * Names each phase of a run with its progress: the repositories (files of the one being read, then its
 * history), learning a corpus embedding model, embedding, the vector index. On a terminal this drives
 * one live line per phase; elsewhere a line per repository and phase, and counts every few seconds.
 */
export function showIndexProgress(progress: Progress): (event: IndexEvent) => void {
  let started = false;
  let lastPlain = 0;
  const plainDue = () => {
    const now = Date.now();
    if (now - lastPlain < PLAIN_EVERY_MS) return false;
    lastPlain = now;
    return true;
  };
  return (event) => {
    switch (event.type) {
      case 'repo-start':
        if (!started) progress.start(event.total, 'index');
        started = true;
        if (progress.live) progress.detail(`${event.repo}: listing files`);
        else progress.note(`indexing ${event.repo} (${event.index + 1}/${event.total})`);
        break;
      case 'file':
        if (progress.live) progress.detail(`${event.repo} ${event.done}/${event.total} files`);
        else if (event.done === event.total || plainDue()) progress.note(`  ${event.repo}: ${event.done}/${event.total} files`);
        break;
      case 'history-start':
        if (progress.live) progress.detail(`${event.repo}: reading history`);
        break;
      case 'repo-done':
        progress.tick(`${event.repo} ${event.result.status}`);
        break;
      case 'repo-failed':
        progress.tick(`${event.repo} failed`);
        progress.note(`${event.repo} failed: ${event.error}`);
        break;
      case 'learn-start':
        progress.start(0, `learning code vectors from ${event.chunks} chunks…`);
        break;
      case 'embed-start':
        progress.start(0, 'embedding chunks…');
        break;
      case 'embed-progress':
        if (progress.live) progress.detail(`${event.embedded} done`);
        else if (plainDue()) progress.note(`  embedded ${event.embedded} chunks`);
        break;
      case 'vectors-start':
        progress.start(0, 'updating the vector index…');
        break;
      case 'ranker-start':
        progress.start(0, "learning the repositories' rankers…");
        break;
    }
  };
}

/** The human summary of an index run: the table, then what was indexed, embedded and what failed. */
export function printReport(out: Output, report: IndexReport): void {
  if (report.repos.length > 0) {
    out.table(
      ['repo', 'status', 'commit', 'files', '+added', '~changed', '-removed', 'chunks', 'took'],
      report.repos.map((r) => [
        r.repo,
        r.status,
        r.commit?.slice(0, 8),
        r.files,
        r.added,
        r.changed,
        r.removed,
        r.chunks,
        formatDuration(r.durationMs),
      ]),
    );
  }
  const embed = report.embeddingModel ? `; embedded ${report.embedded} chunks with ${report.embeddingModel}` : '';
  // Only repositories that made it into the index count; a failed one is named in the table and the total.
  const indexed = report.repos.length - report.failed;
  const failed = report.failed > 0 ? ` (${report.failed} failed)` : '';
  out.line(`indexed ${indexed} repositories${failed} in ${formatDuration(report.durationMs)}${embed}`);
  if (report.embeddingError) {
    out.line(`embeddings failed (${report.embeddingError})${indexed > 0 ? '; lexical and symbol search work' : ''}`);
  }
  const graph = report.vectorIndex;
  if (graph && graph.vectors > 0) {
    const how = graph.rebuilt ? 'built' : `updated (+${graph.added} -${graph.removed})`;
    out.line(`vector index (HNSW) ${how}: ${graph.vectors} vectors in ${formatDuration(graph.ms)}`);
  }
  const learned = (report.rankers ?? []).filter((r) => r.status === 'learned');
  if (learned.length > 0) {
    const ms = learned.reduce((a, r) => a + r.ms, 0);
    out.line(`ranker learned for ${learned.length} repositories from their documented code in ${formatDuration(ms)}`);
  }
  if (report.rankerError) out.line(`rankers not learned (${report.rankerError}); search uses the fixed model`);
  if (report.vectorIndexError) out.line(`vector index not updated (${report.vectorIndexError}); semantic search scans every vector`);
  if (report.repos.length === 0) out.line('nothing to index: run `gitlore repo add` and `gitlore sync` first');
}

async function runStatus(ctx: CliContext, opts: { json?: boolean }): Promise<number> {
  const app = await ctx.app();
  const [{ indexStatus }, { createContext }] = await Promise.all([import('../core/indexStatus.js'), import('../core/context.js')]);
  const report: IndexStatusReport = await indexStatus({}, createContext(app));
  if (opts.json) {
    ctx.out.json(report);
    return 0;
  }
  if (report.repos.length === 0) {
    ctx.out.line('no repositories: run `gitlore repo add` and `gitlore sync` first');
    return 0;
  }
  ctx.out.table(
    ['repo', 'status', 'commit', 'files', 'chunks', 'embedded', 'indexed', 'took', 'errors'],
    report.repos.map((r) => [
      r.repo,
      r.upToDate || r.status !== 'ok' ? r.status : 'stale',
      r.commit?.slice(0, 8),
      r.files,
      r.chunks,
      `${Math.round(r.embeddedShare * 100)}%`,
      formatAgo(r.indexedAt),
      formatDuration(r.lastDurationMs),
      r.errors.length > 0 ? `${r.errors.length}: ${r.errors[0]}` : '',
    ]),
  );
  ctx.out.line(`embedding model: ${report.embeddingModel ?? 'none yet'}`);
  const { vectorSearch } = report;
  ctx.out.line(
    vectorSearch.mode === 'exact'
      ? 'vector search: exact scan'
      : `vector search: HNSW graph of ${vectorSearch.graphVectors} vectors${vectorSearch.graphCurrent ? '' : ' (newer chunks scanned exactly until the next `gitlore index`)'}`,
  );
  return 0;
}

function indexOptions(command: Command): Command {
  return command
    .option('--full', 'rebuild from scratch (also recovers a corrupt database)')
    .option('--repo <name>', 'only this repository (repeatable)', collect)
    .option('--no-embeddings', 'lexical and symbol index only; skip the embedding phase')
    .option('--json', 'print the report as JSON');
}

export const registerIndex: RegisterCommand = (program, ctx) => {
  const index = program
    .command('index')
    .description('index synced repositories for search: incremental unless --full')
    .addHelpText(
      'after',
      [
        '',
        'Index options (gitlore index [options]; the same for `index reindex`, which always rebuilds):',
        '  --full           rebuild from scratch (also recovers a corrupt database)',
        '  --repo <name>    only this repository (repeatable)',
        '  --no-embeddings  lexical and symbol index only; skip the embedding phase',
        '  --json           print the report as JSON',
        '',
        'Examples:',
        '  gitlore index',
        '  gitlore index --repo api --full',
        '  gitlore index status --json',
      ].join('\n'),
    );
  indexOptions(index.command('run', { isDefault: true, hidden: true }).description('index (the default)')).action(
    ctx.action((opts: IndexFlags) => runIndex(ctx, opts)),
  );
  indexOptions(index.command('reindex').description('rebuild from scratch: the same as `gitlore index --full`')).action(
    ctx.action((opts: IndexFlags) => runIndex(ctx, { ...opts, full: true })),
  );
  index
    .command('status')
    .description('per repository: commit, files, chunks, embedded share, last duration, errors')
    .option('--json', 'print JSON')
    .action(ctx.action((opts: { json?: boolean }) => runStatus(ctx, opts)));
};
