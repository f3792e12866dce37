import type { IndexFilter, Store } from '../store/index.js';
import { matchHit } from './hits.js';
import { lineLiterals, literalAlternatives } from './regexLiterals.js';
import { type LineRange, literalLines, type ScanFile } from './regexScan.js';
import type { RegexScanner } from './regexScanner.js';
import type { SearchHit, SearchRepo } from './types.js';

/** Files fetched per page of prefilter candidates. */
const CANDIDATE_PAGE = 200;

/**
 * Characters of file content handed to the scanner per message. Copying content to a worker holds
 * the event loop (about 5 ms per MB on a 2-core host): in batches, other requests run in between.
 */
const BATCH_CHARS = 1024 * 1024;

type CandidateFile = Awaited<ReturnType<Store['index']['regexCandidates']>>[number];

export interface RegexSearchOptions {
  limit: number;
  repos: Map<number, SearchRepo>;
  scanner: RegexScanner;
  /** Milliseconds the scan may take; Infinity for none. */
  budgetMs: number;
  signal?: AbortSignal;
  /** Matched lines must pass this too (the query's -terms); the scan looks further to fill the limit. */
  matchText?: ((text: string) => boolean) | null;
}

/** How many more matches a scan looks for when a text condition may drop some of them. */
const TEXT_HEADROOM = 20;

export interface RegexSearchResult {
  hits: SearchHit[];
  /** Set when the scan stopped before covering every candidate file: why, in one line. */
  partialReason: string | null;
}

/**
 * Regex matches in file order: the store narrows the files to those holding the pattern's required
 * literals, a scanner (a worker thread) runs the RE2 pattern over each candidate, one hit per matched
 * line range. The next page of candidates is read while the scanner works on the current one. When
 * the budget runs out, the hits found so far come back with a partial reason.
 */
export async function regexSearch(
  store: Store,
  pattern: string,
  filter: IndexFilter,
  matchPath: ((path: string) => boolean) | null,
  options: RegexSearchOptions,
): Promise<RegexSearchResult> {
  const { limit, repos, budgetMs, signal } = options;
  const matchText = options.matchText ?? null;
  const deadline = Date.now() + budgetMs;
  const literals = literalAlternatives(pattern);
  // When matches stay on one line, only the lines holding a required literal travel to the scanner.
  const windows = lineLiterals(pattern);
  const hits: SearchHit[] = [];
  const timedOut = `the time budget of ${budgetMs} ms (GITLORE_SEARCH_TIMEOUT_MS) ran out before every candidate file was scanned`;
  const lease = await options.scanner.lease(deadline, signal);
  if (!lease) return { hits, partialReason: signal?.aborted ? 'the search was cancelled' : `${timedOut} (every regex worker was busy)` };
  try {
    const page = (afterId: number) => store.index.regexCandidates(literals, filter, afterId, CANDIDATE_PAGE);
    const onMatches = (byId: Map<number, CandidateFile>) => (fileId: number, ranges: LineRange[]) => {
      const file = byId.get(fileId)!;
      for (const r of ranges) {
        if (hits.length < limit && (!matchText || matchText(r.text))) hits.push(matchHit(file, r.startLine, r.endLine, [r.text], repos));
      }
    };
    const scanPage = async (files: CandidateFile[]) => {
      const byId = new Map(files.map((f) => [f.id, f]));
      const scannable: ScanFile[] = [];
      for (const file of files) {
        if (matchPath && !matchPath(file.path)) continue;
        if (!windows) scannable.push(file);
        else {
          const lines = literalLines(file.content, windows);
          if (lines.length > 0) scannable.push({ id: file.id, content: '', lines });
        }
      }
      for (const batch of batches(scannable, BATCH_CHARS)) {
        const wanted = (limit - hits.length) * (matchText ? TEXT_HEADROOM : 1);
        const { stopped } = await lease.scan(pattern, batch, wanted, onMatches(byId));
        if (stopped) return stopped;
        if (hits.length >= limit) return 'limit';
      }
      return null;
    };
    let files = await page(0);
    while (files.length > 0) {
      const scanning = scanPage(files);
      const next = files.length === CANDIDATE_PAGE ? page(files.at(-1)!.id) : Promise.resolve([]);
      next.catch(() => {}); // awaited below unless the scan fails first
      const stopped = await scanning;
      if (stopped === 'limit') break;
      if (stopped === 'deadline') return { hits, partialReason: timedOut };
      if (stopped === 'aborted') return { hits, partialReason: 'the search was cancelled' };
      files = await next;
      if (files.length > 0 && Date.now() >= deadline) return { hits, partialReason: timedOut };
    }
    return { hits: hits.slice(0, limit), partialReason: null };
  } finally {
    lease.release();
  }
}

/** Characters a file sends to the scanner. */
const sizeOf = (file: ScanFile) => (file.lines ? file.lines.reduce((n, l) => n + l.text.length, 0) : file.content.length);

/** Consecutive runs of files of at most `maxChars` characters each (a larger file alone). */
function* batches(files: ScanFile[], maxChars: number): Generator<ScanFile[]> {
  let batch: ScanFile[] = [];
  let chars = 0;
  for (const file of files) {
    const size = sizeOf(file);
    if (batch.length > 0 && chars + size > maxChars) {
      yield batch;
      batch = [];
      chars = 0;
    }
    batch.push(file);
    chars += size;
  }
  if (batch.length > 0) yield batch;
}
