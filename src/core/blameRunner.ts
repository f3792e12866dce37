import { availableParallelism } from 'node:os';
import type { blameRange, GitCredentials } from '../git/index.js';
import type { BlameRange } from '../shared/blame.js';
import { type BlameKey, blameKeyString as keyOf, type Store } from '../store/index.js';

/** `git blame` processes one gitlore process runs at once; more wait their turn. */
export const BLAME_CONCURRENCY = Math.min(4, Math.max(2, Math.floor(availableParallelism() / 2)));
/** Blames waiting for a turn at most; a search asking for more leaves the rest for its next run. */
const MAX_WAITING = 64;
/** One `git blame` is stopped after this long (a partial clone fetching old blobs, a huge history). */
const GIT_TIMEOUT_MS = 60_000;
/** Entries the cache keeps; older ones are pruned every PRUNE_EVERY stores. */
const CACHE_ROWS = 200_000;
const PRUNE_EVERY = 500;

/** One range to blame: the cache key and where git finds it. */
export interface BlameJob extends BlameKey {
  commit: string;
  localPath: string;
  credentials: GitCredentials | null;
}

/**
 * Runs `git blame` for cache misses: child processes (the event loop only reads their output), at most
 * BLAME_CONCURRENCY at once, the same range asked twice computed once, each answer stored in the cache whoever
 * stops waiting for it. A search waits within its budget and leaves the rest to finish for the next one.
 */
class BlameRunner {
  private readonly inFlight = new Map<string, Promise<BlameRange>>();
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  private readonly idle: (() => void)[] = [];
  private stored = 0;
  /** Per store (one per Services): closing one process's services stops only its blames. */
  private readonly stops = new WeakMap<Store, AbortController>();

  /** Whether a job could start or wait now (false: the queue is full and it was not taken). */
  hasRoom(job: BlameKey): boolean {
    return this.inFlight.has(keyOf(job)) || this.waiting.length < MAX_WAITING;
  }

  /** The job's attributions, computed once however many callers ask meanwhile, and stored. */
  run(git: { blameRange: typeof blameRange }, store: Store, job: BlameJob): Promise<BlameRange> {
    const key = keyOf(job);
    const existing = this.inFlight.get(key);
    if (existing) return existing;
    let stop = this.stops.get(store);
    if (!stop) {
      stop = new AbortController();
      this.stops.set(store, stop);
    }
    const { signal } = stop;
    const promise = this.turn().then(async (release) => {
      try {
        signal.throwIfAborted();
        const range = await git.blameRange(
          job.localPath,
          { commit: job.commit, path: job.path, startLine: job.startLine, endLine: job.endLine },
          { signal, timeoutMs: GIT_TIMEOUT_MS, credentials: job.credentials },
        );
        const { repoId, path, blob, startLine, endLine, commit } = job;
        await store.blame.put({ repoId, path, blob, startLine, endLine, commit, ...range });
        if (++this.stored % PRUNE_EVERY === 0) await store.blame.prune(CACHE_ROWS);
        return range;
      } finally {
        release();
      }
    });
    this.inFlight.set(key, promise);
    // Callers that stopped waiting still get the cache filled; nobody is left with an unhandled rejection.
    promise
      .catch(() => {})
      .finally(() => {
        this.inFlight.delete(key);
        if (this.inFlight.size === 0) for (const resolve of this.idle.splice(0)) resolve();
      });
    return promise;
  }

  /** Resolves once no blame is running or waiting (tests, benchmarks). */
  whenIdle(): Promise<void> {
    return this.inFlight.size === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }

  private async turn(): Promise<() => void> {
    if (this.running >= BLAME_CONCURRENCY) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    return () => {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    };
  }

  /** Stops the blames storing into `store`, running or waiting (their callers get ABORTED): its services are closing. */
  stopFor(store: Store): void {
    this.stops.get(store)?.abort();
    this.stops.delete(store);
  }
}

/** The runner of this process. */
export const blameRunner = new BlameRunner();
