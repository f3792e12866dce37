import { checkDataDirs, type ResolvedConfig } from '../config/index.js';
import { createEmbedder } from '../embeddings/createEmbedder.js';
import type { Embedder } from '../embeddings/embedder.js';
import * as gitModule from '../git/index.js';
import type { JobQueue } from '../jobs/jobQueue.js';
import { createRegexScanner, type RegexScanner } from '../search/engine.js';
import { createLogger, type Logger, type LogLevel } from '../shared/logger.js';
import { createMetricsSink, type MetricsSink } from '../shared/metrics.js';
import { openStore, type Store } from '../store/index.js';
import { createRepoCredentials, type RepoCredentials } from '../sync/index.js';
import { blameRunner } from './blameRunner.js';

/** The git client use cases reach git through: the git module today, the single client of the git rewrite once it lands. */
export type GitClient = typeof gitModule;

/**
 * What every use case needs, built once by createServices and passed down in the request context.
 * No module below this reads process.env, opens its own store or builds its own embedder.
 */
export interface Services {
  readonly config: ResolvedConfig;
  readonly store: Store;
  readonly log: Logger;
  readonly git: GitClient;
  /** Which token each repository's remote takes (config sources, ingest requests, GITHUB_TOKEN); passed to git per call. */
  readonly credentials: RepoCredentials;
  /** The background job queue where one runs (`serve`); null elsewhere. */
  readonly jobs: JobQueue | null;
  /** How this process was started (`gitlore index --full`), recorded by the writer lock so a waiting writer can name it. */
  readonly invocation: string;
  /**
   * The one embedder of this process, or null when embeddings are off. Created on first use; a
   * corpus-learned model is reloaded when the store names a model this process has not seen (another
   * process relearned it), so a long-running server never searches with a stale model.
   */
  embedder(): Promise<Embedder | null>;
  /** Runs regex search scans in worker threads of this process (started on first use). */
  readonly regexScanner: RegexScanner;
  /** Jobs finished, model tokens used, chunks embedded: what /metrics counts (server/metrics.ts listens). */
  readonly metrics: MetricsSink;
  /** Releases the embedder, the regex workers and the store. */
  close(): Promise<void>;
}

export interface ServiceOverrides {
  store?: Store;
  log?: Logger;
  /** Level for the default logger (the config's GITLORE_LOG_LEVEL otherwise). */
  logLevel?: LogLevel;
  /** A fixed embedder (tests, benchmarks): never reloaded, not closed by close(). */
  embedder?: Embedder | null;
  git?: GitClient;
  credentials?: RepoCredentials;
  jobs?: JobQueue | null;
  /** The command line of this process for the writer lock (`gitlore` when absent). */
  invocation?: string;
  metrics?: MetricsSink;
}

/** The store's record of the model the index's vectors were made with; written by whichever process indexes. */
const MODEL_META = 'embedding_model';

/**
 * Builds the services of one process from a resolved config. Opens the store (unless one is given)
 * and nothing else: no environment writes, no background work; the embedder loads on first use.
 */
export async function createServices(config: ResolvedConfig, overrides: ServiceOverrides = {}): Promise<Services> {
  const log =
    overrides.log ??
    createLogger('gitlore', { level: overrides.logLevel ?? (config.logLevel as LogLevel), json: config.logFormat === 'json' });
  // Before anything touches the disk: a data dir in /proc would hang the open, /dev/null would fail with a raw ENOTDIR.
  if (!overrides.store) checkDataDirs(config);
  const store =
    overrides.store ??
    (await openStore({
      dbPath: config.dbPath,
      databaseUrl: config.databaseUrl,
      vectorIndexDir: config.vectorIndexPath,
      reposPath: config.reposPath,
    }));
  const metrics = overrides.metrics ?? createMetricsSink();
  const fixed = overrides.embedder === undefined ? undefined : countingEmbedder(overrides.embedder, metrics);
  const embedder: FollowingEmbedder =
    fixed !== undefined
      ? Object.assign(async () => fixed, { current: async () => fixed })
      : modelFollowingEmbedder(store, log.child('embed'), async (embedLog) =>
          countingEmbedder(await createEmbedder(config, { log: embedLog, artifacts: store.artifacts }), metrics),
        );
  const regexScanner = createRegexScanner();
  return {
    config,
    store,
    log,
    git: overrides.git ?? gitModule,
    credentials: overrides.credentials ?? createRepoCredentials(config),
    jobs: overrides.jobs ?? null,
    invocation: overrides.invocation ?? 'gitlore',
    embedder,
    regexScanner,
    metrics,
    async close() {
      await regexScanner.close();
      // The long-lived `git cat-file` readers of get_file and citation checks (idle ones close themselves).
      gitModule.closeSharedReaders();
      // `git blame`s still filling the cache for a search that did not wait for them.
      blameRunner.stopFor(store);
      if (fixed === undefined) await (await embedder.current())?.close?.();
      await store.close();
    },
  };
}

/**
 * The embedder with every text it embeds counted as an embedded chunk (the indexer embeds chunk texts; a search embeds
 * its query, one more). The same object, so `fit` still relearns this instance; wrapped once however often it is passed.
 */
const COUNTED = new WeakSet<Embedder>();
function countingEmbedder(embedder: Embedder | null, metrics: MetricsSink): Embedder | null {
  if (!embedder || COUNTED.has(embedder)) return embedder;
  COUNTED.add(embedder);
  const embed = embedder.embed.bind(embedder);
  embedder.embed = async (texts, options) => {
    const vectors = await embed(texts, options);
    metrics.record({ type: 'chunks-embedded', count: vectors.length });
    return vectors;
  };
  return embedder;
}

type FollowingEmbedder = (() => Promise<Embedder | null>) & { current(): Promise<Embedder | null> };

/**
 * One embedder, rebuilt when the store's model record changes to a model this one is not.
 * Only corpus-learned embedders (those with fit) are rebuilt, from the model in the store (any process
 * of the store, on any machine, may relearn it); any other embedder is fixed by the config, so a rebuild would
 * load the same model again. The indexer of this process fits the same instance, so its own
 * relearning needs no rebuild.
 */
function modelFollowingEmbedder(store: Store, log: Logger, build: (log: Logger) => Promise<Embedder | null>): FollowingEmbedder {
  let loading: Promise<Embedder | null> | null = null;
  let seenModel: string | null | undefined;
  const load = () => {
    const promise = build(log);
    loading = promise;
    // A failed build (bad config, missing model folder) is retried by the next call.
    promise.catch(() => {
      if (loading === promise) loading = null;
    });
    return promise;
  };
  const get = async (): Promise<Embedder | null> => {
    const model = await store.index.getMeta(MODEL_META);
    const current = await (loading ?? load());
    if (model !== seenModel) {
      seenModel = model;
      if (current?.fit && model !== null && current.id !== model) {
        log.info('the index has a newer embedding model; reloading it', { from: current.id, to: model });
        return load();
      }
    }
    return current;
  };
  return Object.assign(get, { current: async () => (loading ? loading.catch(() => null) : null) });
}
