import type { TimelineCommit } from '../../core/history.js';
import { blobHref, encodePath } from '../../shared/searchView.js';
import type { Assets } from './assets.js';
import { Layout } from './layout.js';

export interface TimelineFilters {
  path: string;
  author: string;
  since: string;
  until: string;
  grep: string;
}

export interface CommitsPageProps {
  assets: Assets;
  repo: string;
  filters: TimelineFilters;
  /** What `filters.path` is at HEAD: its history links to its file or folder view. */
  pathKind: 'file' | 'dir' | null;
  /** The history follows the file across renames. */
  followed: boolean;
  offset: number;
  limit: number;
  timeline: { total: number; commits: TimelineCommit[] } | null;
  error: { message: string; hint?: string } | null;
  now: number;
}

const UNITS: [number, string][] = [
  [365 * 86400, 'year'],
  [30 * 86400, 'month'],
  [7 * 86400, 'week'],
  [86400, 'day'],
  [3600, 'hour'],
  [60, 'minute'],
];

/** `3 days ago`, from an ISO date and the time now (ms). */
export function relativeTime(iso: string, now: number): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (Number.isNaN(seconds)) return iso;
  const future = seconds < 0;
  const abs = Math.abs(seconds);
  for (const [size, unit] of UNITS) {
    if (abs >= size) {
      const n = Math.floor(abs / size);
      const text = `${n} ${unit}${n === 1 ? '' : 's'}`;
      return future ? `in ${text}` : `${text} ago`;
    }
  }
  return 'just now';
}

/** `2024-02-01T10:00:00+01:00` → `2024-02-01 10:00 +01:00`: the date as its author's clock read it. */
export function absoluteTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2})?(.*)$/.exec(iso);
  if (!m) return iso;
  const zone = m[3] === 'Z' ? 'UTC' : (m[3] ?? '');
  return `${m[1]} ${m[2]}${zone ? ` ${zone}` : ''}`;
}

/** A date as `<time>`: relative text, the absolute date next to it and in the machine-readable attribute. */
export function DateTime(props: { iso: string; now: number }) {
  return (
    <span class="when">
      <time datetime={props.iso} title={absoluteTime(props.iso)}>
        {relativeTime(props.iso, props.now)}
      </time>{' '}
      <span class="abs-date">({absoluteTime(props.iso)})</span>
    </span>
  );
}

export const commitHref = (repo: string, hash: string) => `/r/${encodeURIComponent(repo)}/commit/${hash}`;

/** The timeline URL for these filters and offset, empty values left out. */
export function commitsHref(repo: string, filters: Partial<TimelineFilters>, extra: { offset?: number; limit?: number } = {}): string {
  const qs = new URLSearchParams();
  for (const key of ['path', 'author', 'since', 'until', 'grep'] as const) {
    const value = filters[key]?.trim();
    if (value) qs.set(key, value);
  }
  if (extra.offset) qs.set('offset', String(extra.offset));
  if (extra.limit) qs.set('limit', String(extra.limit));
  const s = qs.toString();
  return `/r/${encodeURIComponent(repo)}/commits${s ? `?${s}` : ''}`;
}

function Field(props: { name: keyof TimelineFilters; label: string; value: string; placeholder: string; size: number }) {
  return (
    <label class="filter">
      <span>{props.label}</span>
      <input name={props.name} value={props.value} placeholder={props.placeholder} autocomplete="off" size={props.size} />
    </label>
  );
}

/** `/r/:repo/commits`: the default branch's commits, newest first, filtered by a GET form (works without script). */
export function CommitsPage(props: CommitsPageProps) {
  const { repo, filters, timeline } = props;
  const repoHref = `/r/${encodeURIComponent(repo)}`;
  const filtered = Boolean(filters.path || filters.author || filters.since || filters.until || filters.grep);
  const pathHref = filters.path
    ? props.pathKind === 'dir'
      ? `${repoHref}/tree/${encodePath(filters.path)}`
      : props.pathKind === 'file'
        ? blobHref(repo, filters.path)
        : null
    : null;
  const commits = timeline?.commits ?? [];
  const total = timeline?.total ?? 0;
  const first = props.offset + 1;
  const last = props.offset + commits.length;
  const limit = props.limit === DEFAULT_PAGE_SIZE ? undefined : props.limit;
  const newer = props.offset > 0 ? commitsHref(repo, filters, { offset: Math.max(0, props.offset - props.limit), limit }) : null;
  const older = last < total ? commitsHref(repo, filters, { offset: last, limit }) : null;
  return (
    <Layout title={filters.path ? `History of ${filters.path} – ${repo}` : `Commits – ${repo}`} section="repo" assets={props.assets}>
      <nav aria-label="Breadcrumb" class="crumbs">
        <ol>
          <li>
            <a href={repoHref}>{repo}</a>
          </li>
          <li>{filtered ? <a href={commitsHref(repo, {})}>Commits</a> : <span aria-current="page">Commits</span>}</li>
        </ol>
      </nav>
      <div class="file-head">
        <h1>
          {filters.path ? (
            <>
              History of <code class="history-path">{filters.path}</code>
            </>
          ) : (
            'Commits'
          )}
        </h1>
        {filters.path && (
          <p class="file-meta">
            {pathHref ? (
              <a href={pathHref}>{props.pathKind === 'dir' ? 'Open the folder' : 'Open the file'}</a>
            ) : (
              <span>Not in the current tree (deleted or renamed).</span>
            )}
            {props.followed && <span>Follows the file across renames.</span>}
          </p>
        )}
      </div>
      <search>
        <form class="timeline-filters" action={`${repoHref}/commits`} method="get">
          <div class="filters">
            <Field name="path" label="Path" value={filters.path} placeholder="src/ or a file" size={16} />
            <Field name="author" label="Author" value={filters.author} placeholder="name or email" size={14} />
            <Field name="since" label="Since" value={filters.since} placeholder="2024-01" size={10} />
            <Field name="until" label="Until" value={filters.until} placeholder="2024-05-01" size={10} />
            <Field name="grep" label="Message" value={filters.grep} placeholder="words" size={14} />
            <button type="submit">Filter</button>
            {filtered && (
              <a class="clear" href={commitsHref(repo, {})}>
                Clear filters
              </a>
            )}
          </div>
        </form>
      </search>
      <section aria-labelledby="commits-heading">
        <h2 id="commits-heading" class="visually-hidden">
          Commits
        </h2>
        {props.error ? (
          <div class="error" role="alert">
            <p>{props.error.message}</p>
            {props.error.hint && <p class="hint">{props.error.hint}</p>}
          </div>
        ) : commits.length === 0 ? (
          <div class="empty">
            <p>{filtered ? 'No commits match these filters.' : 'No commits on the default branch yet.'}</p>
            {filtered ? (
              <ul class="hint">
                <li>Path: a folder (src/) or a file as the repository names it; leave it empty for every path.</li>
                <li>Author: any part of the name or email, e.g. “bob” or “@example.com”.</li>
                <li>Since and until: 2024-05-01, a month 2024-05, a year, or “3 weeks ago”; widen the range.</li>
                <li>Message: fewer words; every word must appear.</li>
                {props.offset > 0 && (
                  <li>
                    <a href={commitsHref(repo, filters)}>Go to the newest matching commits.</a>
                  </li>
                )}
              </ul>
            ) : (
              <p class="hint">Sync the repository to read its history.</p>
            )}
          </div>
        ) : (
          <>
            <p class="summary" id="timeline-summary">
              {total === 1 ? '1 commit' : `${total.toLocaleString('en')} commits`}
              {total > commits.length ? ` · showing ${first}–${last}` : ''}
            </p>
            <ol class="commit-list" start={first}>
              {commits.map((commit) => (
                <li class="commit-row">
                  <div class="commit-main">
                    <a class="commit-subject" href={commitHref(repo, commit.hash)}>
                      {commit.subject || '(no message)'}
                    </a>
                    <p class="commit-meta">
                      <span class="author" title={commit.email}>
                        {commit.author}
                      </span>{' '}
                      <DateTime iso={commit.date} now={props.now} />
                      {commit.files && (
                        <span class="files-count">
                          {' · '}
                          {commit.files.length} {commit.files.length === 1 ? 'file' : 'files'}
                        </span>
                      )}
                    </p>
                  </div>
                  <a class="commit-hash" href={commitHref(repo, commit.hash)} aria-label={`Commit ${commit.hash.slice(0, 7)}`}>
                    <code>{commit.hash.slice(0, 7)}</code>
                  </a>
                </li>
              ))}
            </ol>
          </>
        )}
        {(newer || older) && (
          <nav class="pager" aria-label="Pages of commits">
            {newer ? (
              <a href={newer} rel="prev">
                ← Newer
              </a>
            ) : (
              <span />
            )}
            {older ? (
              <a href={older} rel="next">
                Older →
              </a>
            ) : (
              <span />
            )}
          </nav>
        )}
      </section>
    </Layout>
  );
}

/** Commits per page. */
export const DEFAULT_PAGE_SIZE = 50;
