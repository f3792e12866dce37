import type { Command } from 'commander';
import type { IndexEvent, IndexReport } from '../core/indexRepos.js';
import type { IndexStatusReport } from '../core/indexStatus.js';
import type { CliContext, RegisterCommand } from './context.js';
import { EXIT_FAILURE } from './exitCodes.js';
import { createProgress } from './progress.js';
import { formatAgo, formatDuration, printJson, printLine, printTable } from './render.js';
import { action, withInterrupt } from './run.js';

interface IndexFlags {
  full?: boolean;
  repo?: string[];
  json?: boolean;
  embeddings?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

async function runIndex(ctx: CliContext, opts: IndexFlags): Promise<number> {
  if (opts.full) {
    // A corrupt database cannot even be opened: move it aside first and rebuild.
    const { recoverCorruptDatabase } = await import('../store/sqlite/indexRecover.js');
    const config = ctx.config();
    if (!config.databaseUrl) {
      const recovered = recoverCorruptDatabase(config.dbPath);
      if (recovered.recovered) {
        process.stderr.write(
          `gitlore: the database was corrupt (${recovered.problem}); moved it to ${recovered.movedTo} and kept ${recovered.salvagedRepos} registered repositories. Rebuilding.\n`,
        );
      }
    }
  }
  const app = await ctx.app();
  const { indexRepos } = await import('../core/indexRepos.js');
  const progress = createProgress({ quiet: ctx.quiet || opts.json === true });
  let report: IndexReport;
  let lastTick = 0;
  // On a terminal: one bar over the repositories, with the files of the latest one beside it.
  let started = false;
  const showLive = (event: IndexEvent) => {
    if (event.type === 'repo-start' && !started) {
      started = true;
      progress.start(event.total, 'index');
    } else if (event.type === 'file' && (Date.now() - lastTick > 100 || event.done === event.total)) {
      lastTick = Date.now();
      progress.detail(`${event.repo} ${event.done}/${event.total} files`);
    } else if (event.type === 'repo-done') progress.tick(`${event.repo} ${event.result.status}`);
    else if (event.type === 'repo-failed') {
      progress.tick(`${event.repo} failed`);
      progress.note(`${event.repo} failed: ${event.error}`);
    } else if (event.type === 'embed-progress' && Date.now() - lastTick > 100) {
      lastTick = Date.now();
      progress.detail(`embedding: ${event.embedded} chunks`);
    } else if (event.type === 'vectors-start') progress.detail('updating the vector index');
  };
  try {
    report = await withInterrupt((signal) =>
      indexRepos(app, {
        names: opts.repo,
        full: opts.full,
        signal,
        skipEmbeddings: opts.embeddings === false,
        onEvent: (event) => {
          if (progress.live) return showLive(event);
          if (event.type === 'repo-start') progress.note(`indexing ${event.repo} (${event.index + 1}/${event.total})`);
          else if (event.type === 'file' && !ctx.quiet) {
            const now = Date.now();
            if (now - lastTick > 2000 || event.done === event.total) {
              lastTick = now;
              progress.note(`  ${event.repo}: ${event.done}/${event.total} files`);
            }
          } else if (event.type === 'repo-failed') progress.note(`  ${event.repo} failed: ${event.error}`);
          else if (event.type === 'embed-progress' && Date.now() - lastTick > 2000) {
            lastTick = Date.now();
            progress.note(`embedding: ${event.embedded} chunks`);
          } else if (event.type === 'vectors-start') progress.note('updating the vector index');
        },
      }),
    );
  } finally {
    progress.stop();
  }
  if (opts.json) printJson(report);
  else printReport(report);
  return report.failed > 0 ? EXIT_FAILURE : 0;
}

function printReport(report: IndexReport): void {
  if (report.repos.length > 0) {
    printTable(
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
  printLine(`indexed ${report.repos.length} repositories in ${formatDuration(report.durationMs)}${embed}`);
  if (report.embeddingError) printLine(`embeddings failed (${report.embeddingError}); lexical and symbol search work`);
  const graph = report.vectorIndex;
  if (graph && graph.vectors > 0) {
    const how = graph.rebuilt ? 'built' : `updated (+${graph.added} -${graph.removed})`;
    printLine(`vector index (HNSW) ${how}: ${graph.vectors} vectors in ${formatDuration(graph.ms)}`);
  }
  if (report.vectorIndexError) printLine(`vector index not updated (${report.vectorIndexError}); semantic search scans every vector`);
  if (report.repos.length === 0) printLine('nothing to index: run `gitlore repo add` and `gitlore sync` first');
}

async function runStatus(ctx: CliContext, opts: { json?: boolean }): Promise<number> {
  const app = await ctx.app();
  const { indexStatus } = await import('../core/indexStatus.js');
  const report: IndexStatusReport = await indexStatus(app);
  if (opts.json) {
    printJson(report);
    return 0;
  }
  if (report.repos.length === 0) {
    printLine('no repositories: run `gitlore repo add` and `gitlore sync` first');
    return 0;
  }
  printTable(
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
  printLine(`embedding model: ${report.embeddingModel ?? 'none yet'}`);
  const { vectorSearch } = report;
  printLine(
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
        'Index options (gitlore index [options], same for `index reindex`):',
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
    action((opts: IndexFlags) => runIndex(ctx, opts)),
  );
  indexOptions(index.command('reindex').description('same as `gitlore index`')).action(action((opts: IndexFlags) => runIndex(ctx, opts)));
  index
    .command('status')
    .description('per repository: commit, files, chunks, embedded share, last duration, errors')
    .option('--json', 'print JSON')
    .action(action((opts: { json?: boolean }) => runStatus(ctx, opts)));
};
