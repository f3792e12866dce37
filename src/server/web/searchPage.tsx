import { MAX_TEXT_QUERY_BYTES, SEARCH_LIMIT, SEARCH_MODES } from '../../shared/searchLimits.js';
import { moreHref, summaryText } from '../../shared/searchView.js';
import type { Assets } from './assets.js';
import { Layout } from './layout.js';
import { CommitResults, DiffResults, EmptyState, SearchError, type SearchOutcome, SearchResults } from './searchResults.js';

export interface SearchParams {
  q: string;
  repo: string;
  lang: string;
  path: string;
  mode: string;
  /** `file`: one row per file (`group=file`); '' for a row per chunk. */
  group: '' | 'file';
  /** Results (files, when grouped) asked for by "Show more"; '' for SEARCH_LIMIT.default. */
  limit: string;
}

export interface SearchPageProps {
  assets: Assets;
  params: SearchParams;
  repos: string[];
  outcome: SearchOutcome | null;
  error: { message: string; hint?: string } | null;
  /** A text posted from the "Paste an issue" form (POST /search): shown again in its box, open. */
  pasted?: string;
  /** The session's CSRF token for the POST form, when signed in with a session. */
  csrf?: string;
}

/** The search form's filters, which the paste form carries along. */
export const FILTERS = ['repo', 'lang', 'path', 'mode'] as const;

/** Longest page title taken from the query. */
const TITLE_CHARS = 80;

function Select(props: { name: string; label: string; value: string; options: { value: string; label: string }[] }) {
  return (
    <label class="filter">
      <span>{props.label}</span>
      <select name={props.name}>
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * "Paste an issue": a whole issue, stack trace or log as the query, POSTed (a URL cannot carry a megabyte) as
 * multipart, which sends the text as is, so the request is about as large as the text. Grouped by file unless
 * unticked: ten results are then ten files, the likeliest to change first. The search form's filters come along.
 */
function PasteForm(props: { params: SearchParams; text: string | undefined; csrf: string | undefined }) {
  const { params } = props;
  const posted = props.text !== undefined;
  return (
    <details class="paste" open={posted}>
      <summary>Paste an issue or a stack trace</summary>
      <form class="paste-form" action="/search" method="post" enctype="multipart/form-data" id="paste-form">
        <label for="paste-text">
          The whole text (up to {MAX_TEXT_QUERY_BYTES / 1024 / 1024} MB): its identifiers, file paths, stack frames and error messages are
          searched for
        </label>
        <textarea id="paste-text" name="q" rows={8} spellcheck={false} required>
          {props.text ?? ''}
        </textarea>
        {props.csrf && <input type="hidden" name="csrf" value={props.csrf} />}
        {/* The search form's filters as the page was served; the island copies their current values on submit. */}
        {FILTERS.map((name) => (
          <input type="hidden" name={name} value={params[name]} />
        ))}
        <div class="paste-actions">
          <label class="filter toggle">
            <input type="checkbox" name="group" value="file" checked={posted ? params.group === 'file' : true} />
            <span>Group results by file</span>
          </label>
          <button type="submit">Find the code</button>
        </div>
      </form>
    </details>
  );
}

/** "Show more": the same search with more results, when the page was full (the island draws the same: web/src/search.ts). */
function MoreLink(props: { params: SearchParams; shown: number }) {
  const href = moreHref(props.params, props.shown, Number(props.params.limit) || SEARCH_LIMIT.default);
  if (!href) return null;
  return (
    <p class="more">
      <a href={href}>{props.params.group ? 'Show more files' : 'Show more results'}</a>
    </p>
  );
}

/** `/` and `/search`: the results for the URL, server-rendered; web/src/search.ts then searches as the user types. */
export function SearchPage(props: SearchPageProps) {
  const { params, outcome, error } = props;
  const filtered = Boolean(params.repo || params.lang || params.path);
  const pasted = props.pasted !== undefined;
  const title = params.q.length > TITLE_CHARS ? `${params.q.slice(0, TITLE_CHARS)}…` : params.q;
  return (
    <Layout title={title ? `${title.replace(/\s+/g, ' ')} – Search` : 'Search'} section="search" assets={props.assets} script="search">
      <h1 class="visually-hidden">Search code</h1>
      <search>
        <form class="search" action="/search" method="get" id="search-form">
          <div class="search-box">
            <label for="q" class="visually-hidden">
              Search code
            </label>
            <input
              id="q"
              name="q"
              type="search"
              value={pasted ? '' : params.q}
              placeholder="Search code… (repo:api lang:go retry -test)"
              autocomplete="off"
              spellcheck={false}
              autofocus={!params.q && !pasted}
              aria-describedby="keys"
            />
            <button type="submit">Search</button>
          </div>
          <div class="filters">
            <Select
              name="repo"
              label="Repository"
              value={params.repo}
              options={[{ value: '', label: 'All' }, ...props.repos.map((r) => ({ value: r, label: r }))]}
            />
            <label class="filter">
              <span>Language</span>
              <input name="lang" value={params.lang} placeholder="any" autocomplete="off" size={10} />
            </label>
            <label class="filter">
              <span>Path</span>
              <input name="path" value={params.path} placeholder="src/**/*.ts" autocomplete="off" size={14} />
            </label>
            <Select name="mode" label="Mode" value={params.mode || 'hybrid'} options={SEARCH_MODES.map((m) => ({ value: m, label: m }))} />
            <label class="filter toggle">
              <input type="checkbox" name="group" value="file" checked={params.group === 'file'} />
              <span>Group by file</span>
            </label>
          </div>
          {params.limit && <input type="hidden" name="limit" value={params.limit} id="limit" />}
          <p id="keys" class="keys">
            <kbd>/</kbd> search · <kbd>↑</kbd> <kbd>↓</kbd> or <kbd>j</kbd> <kbd>k</kbd> move · <kbd>Enter</kbd> open
          </p>
        </form>
        <PasteForm params={params} text={props.pasted} csrf={props.csrf} />
      </search>
      <section id="results" aria-labelledby="results-heading" aria-busy="false">
        <h2 id="results-heading" class="visually-hidden">
          Results
        </h2>
        <p id="summary" class="summary" role="status">
          {outcome && (outcome.results.length > 0 || (outcome.commits?.length ?? 0) > 0 || (outcome.diffs?.length ?? 0) > 0)
            ? summaryText(outcome)
            : ''}
        </p>
        <div id="result-list">
          {error ? (
            <SearchError message={error.message} hint={error.hint} />
          ) : outcome?.commits && outcome.commits.length > 0 ? (
            <CommitResults commits={outcome.commits} />
          ) : outcome?.diffs && outcome.diffs.length > 0 ? (
            <DiffResults diffs={outcome.diffs} />
          ) : outcome && outcome.results.length > 0 ? (
            <>
              <SearchResults outcome={outcome} />
              {!pasted && <MoreLink params={params} shown={outcome.results.length} />}
            </>
          ) : (
            <EmptyState query={!params.q.trim() ? '' : pasted ? 'the pasted text' : `“${params.q}”`} filtered={filtered} />
          )}
        </div>
      </section>
    </Layout>
  );
}
