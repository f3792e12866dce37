import type { ActivityWindow } from '../../core/activity.js';
import type { RepoIndexStatus } from '../../core/indexStatus.js';
import type { RepoOverview } from '../../core/repoOverview.js';
import type { TreeListing } from '../../core/tree.js';
import { formatBytes, formatCount, formatDuration, formatTime, indexView, type StateView, syncView } from '../../shared/statusView.js';
import type { Assets } from './assets.js';
import { Layout } from './layout.js';
import type { Readme } from './readme.js';
import { ReadmeArticle, TreeTable } from './treePage.js';

export interface OverviewPageProps {
  assets: Assets;
  overview: RepoOverview;
  /** The clone's last sync error, if the last sync failed. */
  syncError: string | null;
  lastSyncDurationMs: number | null;
  index: RepoIndexStatus | null;
  /** The root folder, or null before the first sync. */
  tree: TreeListing | null;
  readme: Readme | null;
  contributors: { name: string; commits: number }[];
  totalCommits: number;
  activity: ActivityWindow;
  githubUrl: string | null;
}

/** Languages beyond this many are summed up as "Other". */
const MAX_LANGUAGES = 7;

export function StateBadge(props: { state: StateView }) {
  return <span class={`badge tone-${props.state.tone}`}>{props.state.label}</span>;
}

function Time(props: { iso: string | null }) {
  return props.iso ? <time datetime={props.iso}>{formatTime(props.iso)}</time> : <span>never</span>;
}

/** 62%, 4.5%, 99.8% (never a rounded 100% or 0% beside other languages), <0.1%. */
export function percent(share: number): string {
  if (share > 0 && share < 0.001) return '<0.1%';
  const whole = Math.round(share * 100);
  return whole >= 10 && whole < 100 && share < 0.995 ? `${whole}%` : `${(Math.floor(share * 1000) / 10).toFixed(1).replace(/\.0$/, '')}%`;
}

function Languages(props: { languages: RepoOverview['languages'] }) {
  // Shares from bytes here: the overview's own are rounded to 0.1%, too coarse for a small language.
  const total = props.languages.reduce((n, l) => n + l.bytes, 0) || 1;
  const languages = props.languages.map((l) => ({ ...l, share: l.bytes / total }));
  const top = languages.slice(0, MAX_LANGUAGES);
  const rest = languages.slice(MAX_LANGUAGES);
  const rows = rest.length
    ? [
        ...top,
        {
          language: 'Other',
          share: rest.reduce((n, l) => n + l.share, 0),
          files: rest.reduce((n, l) => n + l.files, 0),
          bytes: rest.reduce((n, l) => n + l.bytes, 0),
        },
      ]
    : top;
  if (rows.length === 0) return <p class="muted">No source files recognised.</p>;
  let x = 0;
  return (
    <>
      {/* The bar repeats the list below for the eye; screen readers get the list. */}
      <svg class="lang-bar" viewBox="0 0 1000 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
        {rows.map((l, i) => {
          const width = Math.max(l.share * 1000, 2);
          const rect = <rect class={`lang-c${i}`} x={x.toFixed(1)} y="0" width={width.toFixed(1)} height="10" />;
          x += width;
          return rect;
        })}
      </svg>
      <ul class="lang-list">
        {rows.map((l, i) => (
          <li>
            <svg class="swatch" viewBox="0 0 10 10" aria-hidden="true" focusable="false">
              <rect class={`lang-c${i}`} width="10" height="10" rx="2" />
            </svg>
            <span class="lang-name">{l.language}</span> <span class="muted">{percent(l.share)}</span>
          </li>
        ))}
      </ul>
    </>
  );
}

const CHART_W = 520;
const CHART_H = 100;

/** Commits per week as bars, drawn here; the table under it says the same in text. */
export function ActivityChart(props: { activity: ActivityWindow }) {
  const { weeks, max, total } = props.activity;
  if (weeks.length === 0) return <p class="muted">No commits yet.</p>;
  const first = weeks[0]?.week as string;
  const last = weeks[weeks.length - 1]?.week as string;
  const step = CHART_W / weeks.length;
  const summary = `${formatCount(total)} commits in the ${weeks.length} weeks from ${first} to ${last}; the busiest week had ${formatCount(max)}.`;
  return (
    <figure class="activity">
      <svg
        class="activity-chart"
        viewBox={`0 0 ${CHART_W} ${CHART_H + 2}`}
        role="img"
        aria-labelledby="activity-title"
        aria-describedby="activity-summary"
        focusable="false"
      >
        <title id="activity-title">Commits per week</title>
        <line class="baseline" x1="0" y1={CHART_H + 1} x2={CHART_W} y2={CHART_H + 1} />
        {weeks.map((w, i) => {
          const height = max > 0 ? Math.max((w.commits / max) * CHART_H, w.commits > 0 ? 2 : 0) : 0;
          return (
            <rect
              class="bar"
              x={(i * step + step * 0.1).toFixed(1)}
              y={(CHART_H - height).toFixed(1)}
              width={(step * 0.8).toFixed(1)}
              height={height.toFixed(1)}
            >
              <title>{`Week of ${w.week}: ${w.commits} commit${w.commits === 1 ? '' : 's'}`}</title>
            </rect>
          );
        })}
      </svg>
      <div class="activity-axis" aria-hidden="true">
        <span>{first}</span>
        <span>{last}</span>
      </div>
      <figcaption id="activity-summary">{summary}</figcaption>
      <details class="activity-table">
        <summary>Commits per week as a table</summary>
        <table>
          <caption class="visually-hidden">Commits per week</caption>
          <thead>
            <tr>
              <th scope="col">Week of</th>
              <th scope="col" class="num">
                Commits
              </th>
            </tr>
          </thead>
          <tbody>
            {weeks.map((w) => (
              <tr>
                <td>{w.week}</td>
                <td class="num">{w.commits}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** `/r/:repo`: README, languages, size, sync and index state, contributors, activity, recent commits and the root files. */
export function OverviewPage(props: OverviewPageProps) {
  const o = props.overview;
  const repoHref = `/r/${encodeURIComponent(o.name)}`;
  const index = props.index;
  return (
    <Layout title={o.name} section="repo" assets={props.assets}>
      <div class="file-head">
        <h1>{o.name}</h1>
        {o.description && <p class="repo-description">{o.description}</p>}
        <p class="file-meta">
          {o.headCommit && (
            <span>
              {o.defaultBranch ?? 'HEAD'} at <code>{o.headCommit.slice(0, 10)}</code>
            </span>
          )}
          {props.tree && <a href={`${repoHref}/tree/`}>Browse files</a>}
          {o.headCommit && <a href={`${repoHref}/commits`}>History</a>}
          {props.githubUrl && (
            <a href={props.githubUrl} rel="noopener noreferrer">
              View on GitHub
            </a>
          )}
        </p>
      </div>
      <div class="overview">
        <div class="overview-main">
          <section aria-labelledby="activity-heading">
            <h2 id="activity-heading">Activity</h2>
            <ActivityChart activity={props.activity} />
          </section>
          <section aria-labelledby="commits-heading">
            <h2 id="commits-heading">Recent commits</h2>
            {o.recentCommits.length === 0 ? (
              <p class="muted">No commits yet.</p>
            ) : (
              <ol class="commit-list">
                {o.recentCommits.map((commit) => (
                  <li>
                    <a href={`${repoHref}/commit/${commit.hash}`}>{commit.subject || '(no message)'}</a>
                    <span class="muted commit-meta">
                      <code>{commit.hash.slice(0, 7)}</code> · {commit.author} ·{' '}
                      <time datetime={commit.date}>{commit.date.slice(0, 10)}</time>
                    </span>
                  </li>
                ))}
              </ol>
            )}
            {o.recentCommits.length > 0 && (
              <p>
                <a href={`${repoHref}/commits`}>All commits</a>
              </p>
            )}
          </section>
          <section aria-labelledby="files-heading">
            <h2 id="files-heading">Files</h2>
            {props.tree ? (
              <>
                <TreeTable tree={props.tree} />
                <p>
                  <a href={`${repoHref}/tree/`}>Browse files</a>
                </p>
              </>
            ) : (
              <p class="muted">Not synced yet: there are no files to show.</p>
            )}
          </section>
          {props.readme && <ReadmeArticle readme={props.readme} />}
        </div>
        <aside class="overview-side" aria-label="About this repository">
          <section aria-labelledby="languages-heading">
            <h2 id="languages-heading">Languages</h2>
            <Languages languages={o.languages} />
          </section>
          <section aria-labelledby="size-heading">
            <h2 id="size-heading">Size</h2>
            <dl class="facts">
              <dt>Files</dt>
              <dd>{formatCount(o.size.files)}</dd>
              <dt>Bytes</dt>
              <dd>{formatBytes(o.size.bytes)}</dd>
              {index && index.chunks > 0 && (
                <>
                  <dt>Indexed</dt>
                  <dd>
                    {formatCount(index.files)} files, {formatCount(index.chunks)} chunks, {formatCount(index.symbols)} symbols
                  </dd>
                </>
              )}
              {props.totalCommits > 0 && (
                <>
                  <dt>Commits</dt>
                  <dd>{formatCount(props.totalCommits)} (not merges)</dd>
                </>
              )}
            </dl>
          </section>
          <section aria-labelledby="state-heading">
            <h2 id="state-heading">Sync and index</h2>
            <dl class="facts">
              <dt>Sync</dt>
              <dd>
                <StateBadge state={syncView(o)} />
              </dd>
              <dt>Last synced</dt>
              <dd>
                <Time iso={o.lastSyncAt} />
                {props.lastSyncDurationMs !== null && <span class="muted"> ({formatDuration(props.lastSyncDurationMs)})</span>}
              </dd>
              <dt>Index</dt>
              <dd>
                <StateBadge state={indexView(index)} />
              </dd>
              <dt>Indexed commit</dt>
              <dd>{index?.commit ? <code>{index.commit.slice(0, 10)}</code> : 'none'}</dd>
              <dt>Last indexed</dt>
              <dd>
                <Time iso={index?.indexedAt ?? null} />
              </dd>
            </dl>
            {props.syncError && (
              <p class="state-error">
                <strong>Sync error:</strong> {props.syncError}
              </p>
            )}
            {index && index.errors.length > 0 && (
              <div class="state-error">
                <strong>Index errors:</strong>
                <ul>
                  {index.errors.slice(0, 5).map((e) => (
                    <li>{e}</li>
                  ))}
                </ul>
                {index.errors.length > 5 && <p>and {index.errors.length - 5} more</p>}
              </div>
            )}
            <p>
              <a href="/status">All repositories’ status</a>
            </p>
          </section>
          <section aria-labelledby="contributors-heading">
            <h2 id="contributors-heading">Top contributors</h2>
            {props.contributors.length === 0 ? (
              <p class="muted">No commits yet.</p>
            ) : (
              <ol class="contributors">
                {props.contributors.map((person) => (
                  <li>
                    <a href={`${repoHref}/commits?author=${encodeURIComponent(person.name)}`}>{person.name}</a>{' '}
                    <span class="muted">
                      {formatCount(person.commits)} commit{person.commits === 1 ? '' : 's'}
                    </span>
                  </li>
                ))}
              </ol>
            )}
          </section>
        </aside>
      </div>
    </Layout>
  );
}
