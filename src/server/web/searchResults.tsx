import {
  answerTerms,
  blobHref,
  chunkMeta,
  commitViewHref,
  contextLines,
  groupHits,
  isFileGrouped,
  markPieces,
  OPEN_FILE_CHUNKS,
  relativeAge,
  type ViewChunk,
  type ViewCommit,
  type ViewDiff,
  type ViewHit,
  type ViewLastChange,
  type ViewParsed,
} from '../../shared/searchView.js';

export interface SearchOutcome {
  query: string;
  mode?: string;
  tookMs: number;
  results: ViewHit[];
  /** `type:commit`: the commits found instead of code. */
  commits?: ViewCommit[];
  /** `type:diff`: the commits whose changed lines match, with those lines. */
  diffs?: ViewDiff[];
  parsed?: ViewParsed;
  partialReason?: string;
}

/** One line of a snippet with its terms marked (the island draws the same markup: web/src/search.ts). */
function SnippetLine(props: { n: number; text: string; terms: string[] }) {
  return (
    <span class="line">
      <span class="ln" aria-hidden="true">
        {props.n}
      </span>
      <code>{markPieces(props.text, props.terms).map((p) => (p.marked ? <mark>{p.text}</mark> : p.text))}</code>
    </span>
  );
}

/** Hits grouped by file, each a link to the file view at its lines; with `group=file`, a row per file (FileResults). */
export function SearchResults(props: { outcome: SearchOutcome }) {
  const terms = answerTerms(props.outcome, props.outcome.mode);
  if (isFileGrouped(props.outcome.results)) return <FileResults hits={props.outcome.results} terms={terms} />;
  return (
    <ol class="groups">
      {groupHits(props.outcome.results).map((group) => (
        <li class="group">
          <h3 class="group-head">
            <a href={blobHref(group.repo, group.path)}>
              <span class="repo">{group.repo}</span>
              <span class="sep">/</span>
              {group.path}
            </a>
            <span class="lang">{group.language}</span>
          </h3>
          <ol class="hits">
            {group.hits.map((hit) => (
              <li>
                <a class="hit" href={blobHref(hit.repo, hit.path, hit.startLine, hit.endLine)}>
                  <span class="hit-meta">
                    {hit.symbol ? `${hit.kind} ${hit.symbol} · ` : ''}lines {hit.startLine}–{hit.endLine}
                  </span>
                  <pre class="snippet">
                    {contextLines(hit, terms).map((line) => (
                      <SnippetLine n={line.n} text={line.text} terms={terms} />
                    ))}
                  </pre>
                </a>
                {hit.lastChange && <LastChangeLine repo={hit.repo} change={hit.lastChange} />}
              </li>
            ))}
          </ol>
        </li>
      ))}
    </ol>
  );
}

/** One chunk of a file row: its symbol and lines, and its snippet, linking to the file view at those lines. */
function ChunkLink(props: { hit: ViewHit; chunk: ViewChunk; terms: string[] }) {
  const { hit, chunk } = props;
  return (
    <a class="hit" href={blobHref(hit.repo, hit.path, chunk.startLine, chunk.endLine)}>
      <span class="hit-meta">{chunkMeta(hit, chunk)}</span>
      <pre class="snippet">
        {contextLines({ snippet: chunk.snippet, startLine: chunk.startLine }, props.terms).map((line) => (
          <SnippetLine n={line.n} text={line.text} terms={props.terms} />
        ))}
      </pre>
    </a>
  );
}

/**
 * Grouped by file (`group=file`): one row per file, best first, with its best score and its best chunks; past the
 * first OPEN_FILE_CHUNKS they fold into a <details> (no script needed). The island draws the same: web/src/search.ts.
 */
export function FileResults(props: { hits: ViewHit[]; terms: string[] }) {
  return (
    <ol class="groups file-rows">
      {props.hits.map((hit) => {
        const chunks = hit.chunks ?? [];
        const open = chunks.slice(0, OPEN_FILE_CHUNKS);
        const folded = chunks.slice(OPEN_FILE_CHUNKS);
        return (
          <li class="group file-row">
            <h3 class="group-head">
              <a href={blobHref(hit.repo, hit.path)}>
                <span class="repo">{hit.repo}</span>
                <span class="sep">/</span>
                {hit.path}
              </a>
              <span class="lang">
                {hit.language}
                {hit.score !== undefined && <span class="file-score"> · score {hit.score}</span>}
              </span>
            </h3>
            <ol class="hits">
              {open.map((chunk) => (
                <li>
                  <ChunkLink hit={hit} chunk={chunk} terms={props.terms} />
                </li>
              ))}
            </ol>
            {hit.lastChange && <LastChangeLine repo={hit.repo} change={hit.lastChange} />}
            {folded.length > 0 && (
              <details class="more-chunks">
                <summary>{folded.length} more in this file</summary>
                <ol class="hits">
                  {folded.map((chunk) => (
                    <li>
                      <ChunkLink hit={hit} chunk={chunk} terms={props.terms} />
                    </li>
                  ))}
                </ol>
              </details>
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** Who last changed a hit's lines, when, and the commit's subject linking to it (the island draws the same: web/src/search.ts). */
function LastChangeLine(props: { repo: string; change: ViewLastChange }) {
  const c = props.change;
  return (
    <p class="last-change">
      {c.author} · <time datetime={c.date}>{relativeAge(c.date)}</time> ·{' '}
      <a href={commitViewHref(props.repo, c.hash)} title={c.hash}>
        {c.subject}
      </a>
    </p>
  );
}

/** `type:commit` answers: one line per commit, newest first, each a link to the commit view. */
export function CommitResults(props: { commits: ViewCommit[] }) {
  return (
    <ol class="commit-hits">
      {props.commits.map((c) => (
        <li>
          <a href={commitViewHref(c.repo, c.hash)}>
            <span class="repo">{c.repo}</span> <code>{c.hash.slice(0, 10)}</code> {c.subject}
          </a>{' '}
          <span class="muted">
            {c.author} · <time datetime={c.date}>{c.date.slice(0, 10)}</time>
          </span>
        </li>
      ))}
    </ol>
  );
}

/** An error answer: the message, and the hint (a caret picture under the query keeps its spacing). */
export function SearchError(props: { message: string; hint?: string }) {
  return (
    <div class="error" role="alert">
      <p>{props.message}</p>
      {props.hint && (props.hint.includes('\n') ? <pre class="hint caret">{props.hint}</pre> : <p class="hint">{props.hint}</p>)}
    </div>
  );
}

/** What to try when nothing matched (`query` as it should read: quoted, or "the pasted text"), or before anything was typed. */
export function EmptyState(props: { query: string; filtered: boolean }) {
  if (!props.query) {
    return (
      <div class="empty">
        <p>Search every indexed repository as you type.</p>
        <ul>
          <li>
            A name: <code>parseWidget</code>, or a phrase: <code>retry with backoff</code>
          </li>
          <li>
            Mode <em>symbol</em> finds definitions, <em>regex</em> takes RE2 patterns such as <code>TODO|FIXME</code>
          </li>
          <li>
            Narrow with a repository, a language (<code>python</code>) or a path (<code>{'src/**/*.ts'}</code>)
          </li>
          <li>
            Or in the query: <code>repo:api lang:go "retry with" -test</code>, <code>a OR b</code>, <code>/regex/</code>,{' '}
            <code>type:commit author:alice</code>
          </li>
        </ul>
      </div>
    );
  }
  return (
    <div class="empty">
      <p>No results for {props.query}.</p>
      <ul>
        <li>Use fewer or shorter words, or part of an identifier.</li>
        <li>Try another mode: lexical matches exact words, semantic matches meaning, symbol matches definitions.</li>
        {props.filtered && <li>Clear the repository, language or path filter.</li>}
      </ul>
    </div>
  );
}

/** `type:diff` answers: each commit as a `type:commit` line, then its matching files and changed lines (web/src/search.ts draws the same). */
export function DiffResults(props: { diffs: ViewDiff[] }) {
  return (
    <ol class="commit-hits diff-hits">
      {props.diffs.map((d) => (
        <li>
          <a href={commitViewHref(d.repo, d.hash)}>
            <span class="repo">{d.repo}</span> <code>{d.hash.slice(0, 10)}</code> {d.subject}
          </a>{' '}
          <span class="muted">
            {d.author} · <time datetime={d.date}>{d.date.slice(0, 10)}</time>
          </span>
          {d.files.map((f) => (
            <div class="diff-hit-file">
              <p class="diff-hit-path">{f.path}</p>
              <pre class="snippet">
                {f.lines.map((l) => (
                  <span class={l.kind === '+' ? 'line add' : 'line del'}>
                    <span class="ln" aria-hidden="true">
                      {l.kind}
                      {l.line}
                    </span>
                    <code>{l.text}</code>
                  </span>
                ))}
              </pre>
            </div>
          ))}
        </li>
      ))}
    </ol>
  );
}
