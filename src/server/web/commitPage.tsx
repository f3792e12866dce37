import type { CommitDiff, FileDiff } from '../../core/commitDiff.js';
import type { CommitDetail } from '../../core/history.js';
import { encodePath } from '../../shared/searchView.js';
import type { Assets } from './assets.js';
import { commitHref, commitsHref, DateTime } from './commitsPage.js';
import { diffLinesHtml } from './diffView.js';
import { Layout } from './layout.js';

export interface CommitPageProps {
  assets: Assets;
  commit: CommitDetail;
  diff: CommitDiff | null;
  /** Why there is no diff (no clone, git failed), when there is none. */
  diffError: string | null;
  githubUrl: string | null;
  now: number;
}

const STATUS: Record<string, string> = { A: 'added', M: 'modified', D: 'deleted', R: 'renamed', C: 'copied', T: 'type changed' };

const fileAnchor = (i: number) => `file-${i + 1}`;

function Counts(props: { added: number | null; removed: number | null }) {
  if (props.added === null || props.removed === null) return <span class="counts muted">binary</span>;
  return (
    <span class="counts">
      <span class="plus">
        +{props.added}
        <span class="visually-hidden"> added</span>
      </span>{' '}
      <span class="minus">
        −{props.removed}
        <span class="visually-hidden"> removed</span>
      </span>
    </span>
  );
}

/** Why a file shows fewer lines than it changed, or none. */
function DiffNote(props: { file: FileDiff | undefined; diff: CommitDiff | null; counts: { added: number | null } }) {
  const { file, diff } = props;
  if (!diff) return null;
  if (!file) return <p class="note">Not shown: the commit’s diff is too large to show in full.</p>;
  if (file.binary) return <p class="note">Binary file: its contents are not shown.</p>;
  const notes: string[] = [];
  if (file.modeChange) notes.push(`File mode changed ${file.modeChange}.`);
  if (file.totalLines === 0 && !file.modeChange) {
    notes.push(file.status === 'R' || file.status === 'C' ? 'Renamed without changes.' : 'No changed lines.');
  }
  if (file.truncated) {
    notes.push(
      file.shownLines === 0
        ? `Its ${file.totalLines.toLocaleString('en')} changed lines are not shown: the commit’s diff is longer than ${diff.limits.totalLines.toLocaleString('en')} lines.`
        : `Showing the first ${file.shownLines.toLocaleString('en')} of ${file.totalLines.toLocaleString('en')} lines of this file’s diff.`,
    );
  }
  if (notes.length === 0) return null;
  return <p class="note">{notes.join(' ')}</p>;
}

/** `/r/:repo/commit/:hash`: the message, who and when, parents, the files changed and the diff, rendered on the server. */
export function CommitPage(props: CommitPageProps) {
  const { commit, diff } = props;
  const repo = commit.repo;
  const repoHref = `/r/${encodeURIComponent(repo)}`;
  const short = commit.hash.slice(0, 7);
  const diffs = new Map((diff?.files ?? []).map((f) => [f.path, f]));
  const blobAt = (path: string, ref: string) => `${repoHref}/blob/${encodePath(path)}?ref=${ref}`;
  const sameCommitter =
    commit.committer === commit.author && commit.committerEmail === commit.email && commit.committerDate === commit.date;
  return (
    <Layout title={`${commit.subject || short} · ${short} – ${repo}`} section="repo" assets={props.assets}>
      <nav aria-label="Breadcrumb" class="crumbs">
        <ol>
          <li>
            <a href={repoHref}>{repo}</a>
          </li>
          <li>
            <a href={commitsHref(repo, {})}>Commits</a>
          </li>
          <li>
            <span aria-current="page">{short}</span>
          </li>
        </ol>
      </nav>
      <article class="commit" aria-labelledby="commit-subject">
        <h1 id="commit-subject" class="commit-title">
          {commit.subject || '(no message)'}
        </h1>
        {commit.body && <pre class="commit-body">{commit.body}</pre>}
        <dl class="commit-facts">
          <dt>Author</dt>
          <dd>
            <span title={commit.email}>{commit.author}</span> <span class="muted">&lt;{commit.email}&gt;</span>{' '}
            <DateTime iso={commit.date} now={props.now} />
          </dd>
          {!sameCommitter && (
            <>
              <dt>Committer</dt>
              <dd>
                <span>{commit.committer}</span> <span class="muted">&lt;{commit.committerEmail}&gt;</span>{' '}
                <DateTime iso={commit.committerDate} now={props.now} />
              </dd>
            </>
          )}
          <dt>Commit</dt>
          <dd>
            <code class="full-hash">{commit.hash}</code>
            {props.githubUrl && (
              <>
                {' · '}
                <a href={`${props.githubUrl.replace(/\/$/, '')}/commit/${commit.hash}`} rel="noopener noreferrer">
                  View on GitHub
                </a>
              </>
            )}
          </dd>
          <dt>{commit.parents.length === 1 ? 'Parent' : 'Parents'}</dt>
          <dd>
            {commit.parents.length === 0 ? (
              <span class="muted">none (the first commit)</span>
            ) : (
              commit.parents.map((p, i) => (
                <>
                  {i > 0 && ' '}
                  <a href={commitHref(repo, p)}>
                    <code>{p.slice(0, 7)}</code>
                  </a>
                </>
              ))
            )}
            {commit.isMerge && <span class="muted"> (a merge: the diff is against the first parent)</span>}
          </dd>
        </dl>
      </article>
      <section aria-labelledby="files-heading" class="commit-files">
        <h2 id="files-heading">
          {commit.stats.files} {commit.stats.files === 1 ? 'file' : 'files'} changed{' '}
          <Counts added={commit.stats.additions} removed={commit.stats.deletions} />
        </h2>
        {commit.files.length > 0 && (
          <ul class="changed-files">
            {commit.files.map((f, i) => (
              <li>
                <span class={`status s-${f.status}`}>{STATUS[f.status] ?? f.status}</span>{' '}
                <a href={`#${fileAnchor(i)}`}>
                  {f.oldPath ? (
                    <>
                      {f.oldPath} → {f.path}
                    </>
                  ) : (
                    f.path
                  )}
                </a>{' '}
                <Counts added={f.added} removed={f.removed} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="diff-heading" class="commit-diff">
        <h2 id="diff-heading">Diff</h2>
        {diff && (
          <p class="note">
            <a href={`/api/commits/${encodeURIComponent(repo)}/${commit.hash}/patch`}>Patch as text</a> (as <code>git show --patch</code>,
            up to 200 KB)
          </p>
        )}
        {props.diffError && (
          <div class="error" role="alert">
            <p>The diff cannot be shown.</p>
            <p class="hint">{props.diffError}</p>
          </div>
        )}
        {diff?.truncated && (
          <p class="note">The diff is larger than the server reads for one page; the files after the last one shown say so.</p>
        )}
        {diff &&
          commit.files.map((f, i) => {
            const file = diffs.get(f.path);
            const deleted = f.status === 'D';
            const ref = deleted ? commit.parents[0] : commit.hash;
            const label = `${STATUS[f.status] ?? f.status} ${f.path}`;
            return (
              <section class="diff-file" id={fileAnchor(i)} aria-label={label}>
                <h3 class="diff-head">
                  <span class={`status s-${f.status}`}>{STATUS[f.status] ?? f.status}</span>{' '}
                  {ref ? (
                    <a href={blobAt(f.path, ref)} title={deleted ? 'The file before this commit' : 'The file at this commit'}>
                      {f.oldPath ? `${f.oldPath} → ${f.path}` : f.path}
                    </a>
                  ) : (
                    <span>{f.path}</span>
                  )}{' '}
                  <Counts added={f.added} removed={f.removed} />
                </h3>
                <DiffNote file={file} diff={diff} counts={f} />
                {file && file.hunks.length > 0 && (
                  <section class="diff-code" tabindex={0} aria-label={`Changes in ${f.path}`}>
                    {diffLinesHtml(file)}
                  </section>
                )}
              </section>
            );
          })}
      </section>
    </Layout>
  );
}
