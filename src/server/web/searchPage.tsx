import { SEARCH_MODES } from '../../shared/searchLimits.js';
import type { Assets } from './assets.js';
import { Layout } from './layout.js';
import { CommitResults, DiffResults, EmptyState, SearchError, type SearchOutcome, SearchResults, summaryText } from './searchResults.js';

export interface SearchParams {
  q: string;
  repo: string;
  lang: string;
  path: string;
  mode: string;
}

export interface SearchPageProps {
  assets: Assets;
  params: SearchParams;
  repos: string[];
  outcome: SearchOutcome | null;
  error: { message: string; hint?: string } | null;
}

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

/** `/` and `/search`: the results for the URL, server-rendered; web/src/search.ts then searches as the user types. */
export function SearchPage(props: SearchPageProps) {
  const { params, outcome, error } = props;
  const filtered = Boolean(params.repo || params.lang || params.path);
  return (
    <Layout title={params.q ? `${params.q} – Search` : 'Search'} section="search" assets={props.assets} script="search">
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
              value={params.q}
              placeholder="Search code… (repo:api lang:go retry -test)"
              autocomplete="off"
              spellcheck={false}
              autofocus={!params.q}
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
          </div>
          <p id="keys" class="keys">
            <kbd>/</kbd> search · <kbd>↑</kbd> <kbd>↓</kbd> or <kbd>j</kbd> <kbd>k</kbd> move · <kbd>Enter</kbd> open
          </p>
        </form>
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
            <SearchResults outcome={outcome} />
          ) : (
            <EmptyState query={params.q} filtered={filtered} />
          )}
        </div>
      </section>
    </Layout>
  );
}
