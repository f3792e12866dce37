import type { FindReferencesResult } from '../../core/findReferences.js';
import { resolveRepo } from '../../core/repoGate.js';
import { toGitloreError } from '../../shared/errors.js';
import { redact } from '../../shared/redact.js';
import { blobHref, markPieces } from '../../shared/searchView.js';
import { runTool } from '../routes/toolRoute.js';
import type { Assets } from './assets.js';
import { Layout } from './layout.js';
import { type PageKit, sendPage } from './webRoutes.js';

/** References listed on the page (the API's default). */
const PAGE_LIMIT = 200;

export interface RefsPageProps {
  assets: Assets;
  repo: string;
  symbol: string;
  /** Only the page's repository, not every visible one. */
  only: boolean;
  result: FindReferencesResult | null;
  error: { message: string; hint?: string } | null;
}

/** `/r/:repo/refs?symbol=NAME[&only=1]`: where a name is used, file by file, each use with its line and enclosing definition. */
export function RefsPage(props: RefsPageProps) {
  const { result } = props;
  const base = `/r/${encodeURIComponent(props.repo)}/refs?symbol=${encodeURIComponent(props.symbol)}`;
  const identifier = props.symbol.split(/::|->|#|\./).pop() ?? props.symbol;
  const shown = result ? result.files.reduce((n, f) => n + f.references.length, 0) : 0;
  return (
    <Layout title={`References to ${props.symbol}`} section="repo" assets={props.assets}>
      <h1>
        References to <code class="refs-symbol">{props.symbol}</code>
      </h1>
      <p class="refs-scope">
        {props.only ? (
          <>
            In <a href={`/r/${encodeURIComponent(props.repo)}`}>{props.repo}</a> only · <a href={base}>in every repository</a>
          </>
        ) : (
          <>
            In every repository · <a href={`${base}&only=1`}>only in {props.repo}</a>
          </>
        )}
      </p>
      {props.error && (
        <div class="error" role="alert">
          <p>{props.error.message}</p>
          {props.error.hint && <p class="hint">{props.error.hint}</p>}
        </div>
      )}
      {result && (
        <>
          {result.definitions.length > 0 && (
            <section aria-labelledby="defs-heading" class="refs-defs">
              <h2 id="defs-heading">Defined in</h2>
              <ul>
                {result.definitions.map((d) => (
                  <li>
                    <a href={blobHref(d.repo, d.path, d.line)}>
                      {d.repo}/{d.path}:{d.line}
                    </a>{' '}
                    <span class="kind">{d.kind}</span> {d.qualifiedName}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <p class="refs-summary" role="status">
            {result.total} {result.total === 1 ? 'reference' : 'references'} in {result.totalFiles}{' '}
            {result.totalFiles === 1 ? 'file' : 'files'}
            {shown < result.total ? ` (the first ${shown} shown)` : ''}
            {result.partialReason ? `; partial: ${result.partialReason}` : ''}
          </p>
          {result.hint && <p class="hint">{result.hint}</p>}
          {result.files.map((file) => (
            <section class="refs-file" aria-label={`${file.repo}/${file.path}`}>
              <h2 class="refs-file-head">
                <a href={blobHref(file.repo, file.path)}>
                  {file.repo}/{file.path}
                </a>{' '}
                <span class="muted">({file.count})</span>
              </h2>
              <ol class="refs-lines">
                {file.references.map((r) => (
                  <li>
                    <a class="refs-ln" href={blobHref(file.repo, file.path, r.line)} aria-label={`Line ${r.line}`}>
                      {r.line}
                    </a>
                    <code class="lc">
                      {markPieces(r.text, [identifier.toLowerCase()]).map((piece) =>
                        piece.marked ? <mark>{piece.text}</mark> : piece.text,
                      )}
                    </code>
                    {r.enclosing && (
                      <span class="refs-in">
                        in {r.enclosing.kind} <a href={blobHref(file.repo, file.path, r.enclosing.startLine)}>{r.enclosing.name}</a>
                      </span>
                    )}
                  </li>
                ))}
              </ol>
            </section>
          ))}
        </>
      )}
    </Layout>
  );
}

/** The references page, linked from each symbol of the file view. */
export function registerRefsPage({ http, deps, assets, ctx, page }: PageKit): void {
  http.get(
    '/r/:repo/refs',
    page(async (c) => {
      const repo = await resolveRepo(ctx(c), c.req.param('repo') as string);
      const symbol = (c.req.query('symbol') ?? '').trim().slice(0, 300);
      const only = Boolean(c.req.query('only'));
      let result: FindReferencesResult | null = null;
      let error: RefsPageProps['error'] = null;
      try {
        const input = { symbol, limit: PAGE_LIMIT, ...(only ? { repos: [repo.name] } : {}) };
        result = (await runTool(deps, c, 'find_references', input)) as FindReferencesResult;
      } catch (thrown) {
        const e = toGitloreError(thrown);
        if (e.code !== 'QUERY_INVALID') throw thrown;
        error = { message: redact(e.message), hint: e.hint && redact(e.hint) };
      }
      return sendPage(
        c,
        <RefsPage assets={assets} repo={repo.name} symbol={symbol} only={only} result={result} error={error} />,
        error ? 400 : 200,
      );
    }),
  );
}
