import pLimit from 'p-limit';
import type { Embedder } from '../embeddings/embedder.js';
import { ingestHistory } from '../history/index.js';
import { embedPending, fitEmbedder } from '../indexer/embed.js';
import { emptyIndexResult, indexRepository, type RepoIndexResult } from '../indexer/indexRepo.js';
import { prepareFile } from '../indexer/prepareFile.js';
import { createPreparer, type Preparer } from '../indexer/preparePool.js';
import { RANKING_PARAMS } from '../search/rankingParams.js';
import { type GitloreError, toGitloreError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { isUnwritable, unwritableError } from '../shared/storageErrors.js';
import type { RepoRecord, VectorIndexUpdate } from '../store/index.js';
import { credentialsFor } from '../sync/index.js';
import type { RequestContext } from './context.js';
import { learnRepositoryRankers, type RankerLearning } from './learnRankers.js';
import { resolveRepo, visibleRepos } from './repoGate.js';
import type { Services } from './services.js';
import { withWriterLock } from './writerLock.js';

export type IndexEvent =
  | { type: 'repo-start'; repo: string; index: number; total: number }
  | { type: 'file'; repo: string; done: number; total: number; path: string }
  | { type: 'repo-done'; repo: string; result: RepoIndexResult }
  | { type: 'repo-failed'; repo: string; error: string }
  | { type: 'history-start'; repo: string }
  /** A corpus-learned embedding model starts learning from the index (tens of seconds on a large one). */
  | { type: 'learn-start'; chunks: number }
  | { type: 'embed-start'; pending: boolean }
  | { type: 'embed-progress'; embedded: number }
  | { type: 'embed-done'; embedded: number; model: string | null; error?: string }
  | { type: 'vectors-start' }
  /** Repositories' own ranker trees are being learned (learnRankers.ts). */
  | { type: 'ranker-start' };

export interface IndexReport {
  repos: (RepoIndexResult & { history?: { added: number; removed: number } | { error: string } })[];
  /** Chunks embedded in this run. */
  embedded: number;
  embeddingModel: string | null;
  embeddingError?: string;
  /** The approximate-nearest-neighbour graph, when this run brought it up to date. */
  vectorIndex?: VectorIndexUpdate;
  vectorIndexError?: string;
  /** Each repository's own ranker trees (learnRankers.ts): learned, kept, or too few documented definitions. */
  rankers?: RankerLearning[];
  rankerError?: string;
  durationMs: number;
  failed: number;
}

export interface IndexReposInput {
  /** Only these repositories; every one the principal may see when absent. */
  names?: string[];
  full?: boolean;
  /** Skip the embedding phase (lexical and symbols only). */
  skipEmbeddings?: boolean;
  /** Skip history ingestion. */
  skipHistory?: boolean;
  /** Use this embedder instead of the services' one (tests, benchmarks). */
  embedder?: Embedder | null;
}

/** What the phases of one run read: the input plus the context's signal and emit. */
interface IndexRun extends IndexReposInput {
  signal: AbortSignal;
  onEvent: (event: IndexEvent) => void;
}

/** Source bytes per write transaction, from GITLORE_MAX_MEMORY_GB (default 16 MiB). */
export function batchBytesFor(maxMemoryGb: number | undefined): number {
  if (!maxMemoryGb) return 16 * 1024 * 1024;
  return Math.max(1024 * 1024, Math.min(64 * 1024 * 1024, Math.floor((maxMemoryGb * 1024 ** 3) / 48)));
}

/**
 * `gitlore index`: lexical index and symbols first for every repo (search works
 * as soon as each batch commits), history ingestion, then embeddings for the
 * chunks that have none. Progress goes to `ctx.emit` as IndexEvents; `ctx.signal` cancels.
 */
export async function indexRepos(input: IndexReposInput, ctx: RequestContext): Promise<IndexReport> {
  const started = performance.now();
  const repos: RepoRecord[] =
    input.names && input.names.length > 0 ? await Promise.all(input.names.map((n) => resolveRepo(ctx, n))) : await visibleRepos(ctx);
  // One writer at a time: two runs at once each relearned a model from a half-rebuilt corpus and pruned the other's vectors.
  // A run of named repositories locks only those (PostgreSQL lets runs of other repositories write beside it).
  const scope = input.names && input.names.length > 0 ? repos.map((r) => r.name) : undefined;
  return withWriterLock(ctx, 'indexing', () => indexLocked(input, ctx, repos, started), scope);
}

async function indexLocked(input: IndexReposInput, ctx: RequestContext, repos: RepoRecord[], started: number): Promise<IndexReport> {
  const app = ctx.services;
  const report: IndexReport = { repos: [], embedded: 0, embeddingModel: null, durationMs: 0, failed: 0 };
  const log = app.log.child('index');
  const options: IndexRun = { ...input, signal: ctx.signal, onEvent: (event) => ctx.emit(event) };
  await indexLexical(app, repos, report, options, log);

  if (!options.skipEmbeddings) {
    let embedder: Embedder | null = null;
    try {
      // The services' one embedder: a model relearned here is the model search uses next.
      embedder = options.embedder !== undefined ? options.embedder : await app.embedder();
      if (embedder) {
        // Corpus-learned models learn from the whole index first; a new model means new vectors for every chunk.
        const refit = await fitEmbedder(app.store, embedder, {
          force: options.full,
          signal: options.signal,
          onLearn: (chunks) => options.onEvent({ type: 'learn-start', chunks }),
        });
        if (refit) log.info('embedding model relearned from the corpus', { model: embedder.id });
      }
      report.embeddingModel = embedder?.id ?? null;
      if (embedder) {
        options.onEvent({ type: 'embed-start', pending: true });
        const memoryScale = app.config.maxMemoryGb && app.config.maxMemoryGb < 1 ? 0.5 : 1;
        report.embedded = await embedPending(app.store, embedder, {
          signal: options.signal,
          repoIds: repos.map((r) => r.id),
          batchSize: Math.max(1, Math.floor(embedder.batchSize * memoryScale)),
          onProgress: (embedded) => options.onEvent({ type: 'embed-progress', embedded }),
          log,
        });
        // Vectors of other models are dead weight once this one covers the index.
        if (!options.names || options.names.length === 0) await app.store.index.pruneVectors({ keepModel: embedder.id, all: options.full });
      }
    } catch (error) {
      const err = storeFailure(app, error) ?? toGitloreError(error);
      if (err.code === 'ABORTED' || options.signal.aborted || isFatal(err)) throw err;
      report.embeddingError = err.message;
      log.warn('embedding failed; lexical and symbol search still work', { error: err.message });
    }
    options.onEvent({ type: 'embed-done', embedded: report.embedded, model: report.embeddingModel, error: report.embeddingError });
  }
  await app.store.index.pruneVectors({ all: options.full });
  if (report.embeddingModel && !report.embeddingError) {
    await refreshVectorIndex(app, report.embeddingModel, report, options, log);
    await learnRankers(app, repos, report, options, log);
  }
  report.durationMs = performance.now() - started;
  return report;
}

/**
 * Brings the store's approximate-nearest-neighbour index of the embedding model up to date (off the main
 * thread where that is the store's way). Nothing to do below GITLORE_ANN_MIN_VECTORS (exact search is fast
 * enough; an old index is dropped) or when it already matches the index. A failure leaves semantic search
 * exact, not broken.
 */
async function refreshVectorIndex(app: Services, model: string, report: IndexReport, options: IndexRun, log: Logger): Promise<void> {
  try {
    const update = await app.store.index.refreshVectorIndex(model, {
      minVectors: app.config.annMinVectors,
      signal: options.signal,
      onBuild: () => options.onEvent({ type: 'vectors-start' }),
    });
    if (!update) return;
    report.vectorIndex = update;
    log.info('vector index updated', { ...update });
  } catch (error) {
    const err = storeFailure(app, error) ?? toGitloreError(error);
    if (err.code === 'ABORTED' || options.signal.aborted || isFatal(err)) throw err;
    report.vectorIndexError = err.message;
    log.warn('the vector index could not be updated; semantic search scans every vector', { error: err.message });
  }
}

/**
 * Each repository's own ranker trees, once its vectors are in (the candidates they learn from are the ones search
 * gathers). A failure leaves the repository with the trees it had, or the fixed model.
 */
async function learnRankers(app: Services, repos: RepoRecord[], report: IndexReport, options: IndexRun, log: Logger): Promise<void> {
  if (!RANKING_PARAMS.repositoryTrees) return;
  try {
    const changed = new Map(report.repos.map((r) => [r.repo, r.added + r.changed + r.removed]));
    const embedder = options.embedder !== undefined ? options.embedder : await app.embedder();
    options.onEvent({ type: 'ranker-start' });
    report.rankers = await learnRepositoryRankers(app, repos, { embedder, signal: options.signal, log, changed });
  } catch (error) {
    const err = storeFailure(app, error) ?? toGitloreError(error);
    if (err.code === 'ABORTED' || options.signal.aborted || isFatal(err)) throw err;
    report.rankerError = err.message;
    log.warn("the repositories' rankers could not be learned; search uses the fixed model", { error: err.message });
  }
}

/** A store that is damaged or cannot be written fails every repository alike: the run stops and says why. */
function isFatal(error: GitloreError): boolean {
  return error.code === 'STORE_CORRUPT' || error.code === 'STORE_UNWRITABLE';
}

/** A write the disk refused outside the store's own tables (the model file, the vector graphs) as STORE_UNWRITABLE. */
function storeFailure(app: Services, error: unknown): GitloreError | null {
  return isUnwritable(error) ? unwritableError(app.config.indexPath, error) : null;
}

/**
 * Repos reading at once: a repo's start (listing its tree) leaves the parser workers idle, and a
 * second repo reading fills that gap. A repo that has handed all its files to the parsers gives
 * its turn to the next one while its last files are parsed and written, so the end of one repo
 * overlaps the start of another too.
 */
const REPOS_READING = 2;
/** Repos in flight at most, reading or finishing (each holds up to batchBytes of parsed files). */
const REPOS_IN_FLIGHT = 4;

/** The lexical pass (and history) of every repo, with one set of parser workers for the whole run. */
async function indexLexical(app: Services, repos: RepoRecord[], report: IndexReport, options: IndexRun, log: Logger): Promise<void> {
  const batchBytes = batchBytesFor(app.config.maxMemoryGb);
  // Each parser worker holds its own grammars (~100 MB): one only under a tight memory ceiling.
  const workers = app.config.maxMemoryGb !== undefined && app.config.maxMemoryGb < 2 ? 1 : undefined;
  const pool: { started?: Promise<Preparer> } = {};
  const sharedPreparer = () => {
    pool.started ??= createPreparer(prepareFile, { workers });
    return pool.started;
  };
  // A fatal error (abort, corrupt store) in one repo stops the others in flight too.
  // (Linked by a listener, not AbortSignal.any: on Node 20 a combined signal that is only polled
  // missed the caller's abort in a long-running server.)
  const stop = new AbortController();
  const forward = () => stop.abort(options.signal.reason);
  if (options.signal.aborted) forward();
  else options.signal.addEventListener('abort', forward, { once: true });
  const signal = stop.signal;
  let fatal: unknown = null;
  const limit = pLimit(REPOS_IN_FLIGHT);
  const reading = pLimit(REPOS_READING);
  const indexOne = async (repo: RepoRecord, i: number): Promise<IndexReport['repos'][number] | null> => {
    let leaveReading = () => {};
    // Holds a reading turn from when it is given until leaveReading (all files read, or the repo done).
    await new Promise<void>((enter) => {
      void reading(
        () =>
          new Promise<void>((leave) => {
            leaveReading = leave;
            enter();
          }),
      );
    });
    try {
      return await indexInTurn(repo, i, leaveReading);
    } finally {
      leaveReading();
    }
  };
  const indexInTurn = async (repo: RepoRecord, i: number, onAllRead: () => void): Promise<IndexReport['repos'][number] | null> => {
    if (signal.aborted) return null;
    options.onEvent({ type: 'repo-start', repo: repo.name, index: i, total: repos.length });
    try {
      const result = await indexRepository(app.store, repo, {
        full: options.full,
        signal,
        maxFileBytes: app.config.maxFileKb * 1024,
        batchBytes,
        sharedPreparer,
        onAllRead,
        log,
        onFile: (done, total, path) => options.onEvent({ type: 'file', repo: repo.name, done, total, path }),
      });
      const entry: IndexReport['repos'][number] = { ...result };
      if (!options.skipHistory) {
        try {
          options.onEvent({ type: 'history-start', repo: repo.name });
          const h = await ingestHistory({ store: app.store, log }, repo, { signal, credentials: credentialsFor(app, repo) });
          entry.history = { added: h.added, removed: h.removed };
        } catch (error) {
          if (signal.aborted || isFatal(toGitloreError(error))) throw error;
          entry.history = { error: toGitloreError(error).message };
          log.warn('history ingestion failed', { repo: repo.name, error: toGitloreError(error).message });
        }
      }
      options.onEvent({ type: 'repo-done', repo: repo.name, result });
      return entry;
    } catch (error) {
      const err = toGitloreError(error);
      if (err.code === 'ABORTED' || isFatal(err) || signal.aborted) {
        fatal ??= options.signal.aborted ? toGitloreError(options.signal.reason ?? error) : err;
        stop.abort();
        return null;
      }
      await app.store.index.setState(repo.id, { status: 'failed', errors: [err.message] }).catch(() => {});
      options.onEvent({ type: 'repo-failed', repo: repo.name, error: err.message });
      log.warn('index failed', { repo: repo.name, error: err.message });
      return emptyIndexResult(repo.name, 'failed', [err.message]);
    }
  };
  const endBulkWrites = await app.store.index.beginBulkWrites();
  try {
    const entries = await Promise.all(repos.map((repo, i) => limit(() => indexOne(repo, i))));
    if (fatal) throw fatal;
    options.signal.throwIfAborted();
    for (const entry of entries) {
      if (!entry) continue;
      report.repos.push(entry);
      if (entry.status === 'failed') report.failed += 1;
    }
  } finally {
    options.signal.removeEventListener('abort', forward);
    await (await pool.started)?.close();
    await endBulkWrites();
  }
}
