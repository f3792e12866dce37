import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { stripUrlCredentials } from '../shared/urlCredentials.js';
import { copySqliteStoreToPostgres, type IndexStats, openStore, type TableCopy } from '../store/index.js';
import { createContext, type RequestContext } from './context.js';
import { indexRepos } from './indexRepos.js';
import { createServices } from './services.js';
import { withWriterLock } from './writerLock.js';

export interface MigrateRepoCheck {
  repo: string;
  source: IndexStats;
  target: IndexStats;
  ok: boolean;
}

export interface MigrateReport {
  /** The target without credentials. */
  target: string;
  /** Each copied table: rows in SQLite, rows written by this run, rows in PostgreSQL now. */
  tables: TableCopy[];
  /** SQLite tables of the code index, rebuilt in PostgreSQL from the clones instead of copied. */
  rebuilt: string[];
  /** SQLite tables PostgreSQL has no place for (their rows were not copied). */
  notCopied: string[];
  /** Files, chunks, symbols and embedded chunks of every repository, in SQLite and in PostgreSQL after the rebuild. */
  repos: MigrateRepoCheck[];
  /** Chunks the rebuild had to embed (0 when every vector was copied). */
  embedded: number;
  ok: boolean;
  tookMs: number;
}

export type MigrateEvent = { type: 'table'; table: string } | { type: 'reindex'; repos: number };

/**
 * `gitlore migrate --to postgres://…`: copies the embedded SQLite store into PostgreSQL (repositories, history,
 * users, tokens, sessions, chats, audit, permissions, vectors), rebuilds the code index there from the clones
 * (vectors are found again by chunk hash, so nothing is embedded twice), then checks that every table and every
 * repository's index holds as much as the source. Safe to run again: rows already copied are kept.
 */
export async function migrateToPostgres(input: { to: string }, ctx: RequestContext): Promise<MigrateReport> {
  const started = performance.now();
  const { config, store } = ctx.services;
  if (store.kind !== 'sqlite') {
    throw new GitloreError(
      ERROR_CODES.USAGE,
      'gitlore migrate copies the embedded SQLite store, but DATABASE_URL already selects PostgreSQL.',
      {
        hint: 'Unset DATABASE_URL so the source is the SQLite store in GITLORE_DATA_DIR, and name the target with --to.',
      },
    );
  }
  if (!/^postgres(ql)?:\/\//.test(input.to)) {
    throw new GitloreError(ERROR_CODES.USAGE, `--to must be a postgres:// URL, not ${stripUrlCredentials(input.to)}.`, {
      hint: 'Example: gitlore migrate --to postgres://gitlore@db.internal:5432/gitlore',
    });
  }
  const emit = (event: MigrateEvent) => ctx.emit(event);
  // The source must not change under the copy: index, sync and ingest runs wait (or this run does).
  const copy = await withWriterLock(ctx, 'copying', () =>
    copySqliteStoreToPostgres({ dbPath: config.dbPath, databaseUrl: input.to }, (table) => emit({ type: 'table', table })),
  );

  const target = await createServices(
    { ...config, databaseUrl: input.to },
    { store: await openStore({ ...storeOptions(config), databaseUrl: input.to }), log: ctx.services.log },
  );
  try {
    const sourceRepos = await store.repos.list();
    emit({ type: 'reindex', repos: sourceRepos.length });
    const targetCtx = createContext(target, { principal: ctx.principal, signal: ctx.signal, emit: ctx.emit });
    const report = sourceRepos.length > 0 ? await indexRepos({ names: sourceRepos.map((r) => r.name) }, targetCtx) : null;
    const model = await store.index.getMeta('embedding_model');
    const repos: MigrateRepoCheck[] = [];
    for (const repo of sourceRepos) {
      const [source, copied] = await Promise.all([store.index.stats(repo.id, model), target.store.index.stats(repo.id, model)]);
      const ok =
        copied.files === source.files &&
        copied.chunks === source.chunks &&
        copied.symbols === source.symbols &&
        copied.embedded >= source.embedded;
      repos.push({ repo: repo.name, source, target: copied, ok });
    }
    const tablesOk = copy.tables.every((t) => t.target >= t.source);
    return {
      target: stripUrlCredentials(input.to),
      tables: copy.tables,
      rebuilt: copy.rebuilt,
      notCopied: copy.notCopied,
      repos,
      embedded: report?.embedded ?? 0,
      ok: tablesOk && copy.notCopied.length === 0 && repos.every((r) => r.ok) && (report?.failed ?? 0) === 0,
      tookMs: Math.round(performance.now() - started),
    };
  } finally {
    await target.close();
  }
}

function storeOptions(config: RequestContext['services']['config']) {
  return { dbPath: config.dbPath, vectorIndexDir: config.vectorIndexPath, reposPath: config.reposPath };
}
