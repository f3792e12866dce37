import type { BlameAnswer } from '../../core/blame.js';
import type { FileSymbol } from '../../core/fileSymbols.js';
import { commitViewHref, encodePath, relativeAge } from '../../shared/searchView.js';
import type { Assets } from './assets.js';
import { Breadcrumbs } from './breadcrumbs.js';
import { codeLinesHtml } from './codeLines.js';
import { escapeHtml } from './escapeHtml.js';
import { Layout } from './layout.js';

export interface FilePageProps {
  assets: Assets;
  repo: string;
  path: string;
  commit: string;
  language: string | null;
  lines: string[];
  totalLines: number;
  symbols: FileSymbol[];
  githubUrl: string | null;
  /** The lines' attributions when the blame view is on (`?blame=1`). */
  blame?: Pick<BlameAnswer, 'groups' | 'commits'>;
  /** The `?ref=` the page was asked for, kept by the blame toggle. */
  ref?: string;
}

/**
 * The blame column: at the first line of each group, the commit (a link to it, its subject as the title), its author
 * and age; the group's other lines blank. Escaped markup for codeLinesHtml.
 */
function blameGutter(repo: string, blame: NonNullable<FilePageProps['blame']>, lineCount: number): string[] {
  const commits = new Map(blame.commits.map((c) => [c.hash, c]));
  const gutter = Array.from({ length: lineCount }, () => '<span class="bl"></span>');
  for (const group of blame.groups) {
    const c = commits.get(group.hash);
    if (!c || group.startLine > lineCount) continue;
    const title = `${c.subject} — ${c.author}, ${c.date.slice(0, 10)}`;
    gutter[group.startLine - 1] =
      `<a class="bl" href="${escapeHtml(commitViewHref(repo, c.hash))}" title="${escapeHtml(title)}">` +
      `<code>${c.hash.slice(0, 7)}</code> ${escapeHtml(c.author)} · ${escapeHtml(relativeAge(c.date))}</a>`;
  }
  return gutter;
}
/** Digits of the largest line number, as a class (`d3`) that sizes the gutter: inline styles are refused by the CSP. */
const gutterClass = (total: number) => `d${Math.min(String(Math.max(total, 1)).length, 7)}`;

/**
 * `/r/:repo/blob/:path*`: the file with line numbers (each a link, `#L10` works without script), its symbols
 * and links to its history and to GitHub. web/src/file.ts highlights the code and selects `#L10-L20` ranges.
 */
export function FilePage(props: FilePageProps) {
  const name = props.path.split('/').pop() ?? props.path;
  const history = `/r/${encodeURIComponent(props.repo)}/commits?path=${encodeURIComponent(props.path)}`;
  const shown = props.lines.length;
  const here = new URLSearchParams(props.ref ? { ref: props.ref } : {});
  if (!props.blame) here.set('blame', '1');
  const blameToggle = `/r/${encodeURIComponent(props.repo)}/blob/${encodePath(props.path)}${here.size ? `?${here}` : ''}`;
  return (
    <Layout title={`${name} – ${props.repo}`} section="repo" assets={props.assets} script="file">
      <Breadcrumbs repo={props.repo} path={props.path} />
      <div class="file-head">
        <h1>{name}</h1>
        <p class="file-meta">
          <span>{props.language ?? 'text'}</span>
          <span>
            {props.totalLines} {props.totalLines === 1 ? 'line' : 'lines'}
          </span>
          <span>
            at <code>{props.commit.slice(0, 10)}</code>
          </span>
          <a href={history}>History</a>
          <a href={blameToggle}>{props.blame ? 'Hide blame' : 'Blame'}</a>
          {props.githubUrl && (
            <a href={`${props.githubUrl.replace(/\/$/, '')}/blob/${props.commit}/${encodePath(props.path)}`} rel="noopener noreferrer">
              View on GitHub
            </a>
          )}
        </p>
      </div>
      <div class="file-body">
        <section class="code" id="code" aria-label={`Contents of ${name}`} tabindex={0} data-lang={props.language ?? ''}>
          <div class={`lines ${gutterClass(props.totalLines)}${props.blame ? ' blamed' : ''}`}>
            {codeLinesHtml(props.lines, props.blame ? blameGutter(props.repo, props.blame, props.lines.length) : undefined)}
          </div>
          {shown < props.totalLines && (
            <p class="note">
              Showing the first {shown} of {props.totalLines} lines.
            </p>
          )}
        </section>
        <aside class="symbols" aria-labelledby="symbols-heading">
          <h2 id="symbols-heading">Symbols</h2>
          {props.symbols.length === 0 ? (
            <p class="muted">No symbols indexed in this file.</p>
          ) : (
            <ul>
              {props.symbols.map((s) => (
                <li>
                  <a href={s.endLine > s.startLine ? `#L${s.startLine}-L${s.endLine}` : `#L${s.startLine}`} title={s.signature}>
                    <span class="kind">{s.kind}</span> {s.qualifiedName || s.name}
                  </a>{' '}
                  <a class="refs-link" href={`/r/${encodeURIComponent(props.repo)}/refs?symbol=${encodeURIComponent(s.name)}`}>
                    refs<span class="visually-hidden"> to {s.name}</span>
                  </a>
                </li>
              ))}
            </ul>
          )}
        </aside>
      </div>
    </Layout>
  );
}
