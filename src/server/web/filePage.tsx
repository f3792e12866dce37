import type { FileSymbol } from '../../core/fileSymbols.js';
import { encodePath } from '../../shared/searchView.js';
import type { Assets } from './assets.js';
import { Breadcrumbs } from './breadcrumbs.js';
import { codeLinesHtml } from './codeLines.js';
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
          {props.githubUrl && (
            <a href={`${props.githubUrl.replace(/\/$/, '')}/blob/${props.commit}/${encodePath(props.path)}`} rel="noopener noreferrer">
              View on GitHub
            </a>
          )}
        </p>
      </div>
      <div class="file-body">
        <section class="code" id="code" aria-label={`Contents of ${name}`} tabindex={0} data-lang={props.language ?? ''}>
          <div class={`lines ${gutterClass(props.totalLines)}`}>{codeLinesHtml(props.lines)}</div>
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
