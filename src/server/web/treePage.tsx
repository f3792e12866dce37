import type { TreeListing } from '../../core/tree.js';
import { blobHref, encodePath } from '../../shared/searchView.js';
import { formatBytes } from '../../shared/statusView.js';
import type { Assets } from './assets.js';
import { Breadcrumbs } from './breadcrumbs.js';
import { Layout } from './layout.js';
import type { Readme } from './readme.js';

export interface TreePageProps {
  assets: Assets;
  tree: TreeListing;
  /** The folder's README: rendered markdown (safe HTML from renderMarkdown) or plain text. */
  readme: Readme | null;
}

/** A folder's entries as a table: folders first, each linking to its tree or blob page (the tree page, the overview). */
export function TreeTable(props: { tree: TreeListing }) {
  const { tree } = props;
  const repoHref = `/r/${encodeURIComponent(tree.repo)}`;
  const parent = `${repoHref}/tree/${tree.path.includes('/') ? encodePath(tree.path.slice(0, tree.path.lastIndexOf('/'))) : ''}`;
  return (
    <table class="tree">
      <caption class="visually-hidden">Files in {tree.path || tree.repo}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col" class="num">
            Size
          </th>
        </tr>
      </thead>
      <tbody>
        {tree.path && (
          <tr>
            <td>
              <a href={parent} aria-label="Parent folder">
                ..
              </a>
            </td>
            <td />
          </tr>
        )}
        {tree.entries.map((e) => (
          <tr>
            <td>
              {e.type === 'dir' ? (
                <a class="dir" href={`${repoHref}/tree/${encodePath(e.path)}`}>
                  {e.name}/
                </a>
              ) : e.type === 'file' ? (
                <a href={blobHref(tree.repo, e.path)}>{e.name}</a>
              ) : (
                <span>{e.name} (submodule)</span>
              )}
            </td>
            <td class="num">{e.size === null ? '' : formatBytes(e.size)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A README under its folder: renderMarkdown's safe HTML, or the text as it is. */
export function ReadmeArticle(props: { readme: Readme }) {
  return (
    <article class="readme" aria-labelledby="readme-heading">
      <h2 id="readme-heading">{props.readme.name}</h2>
      {props.readme.html !== undefined ? (
        <div class="markdown" dangerouslySetInnerHTML={{ __html: props.readme.html }} />
      ) : (
        <pre>{props.readme.text}</pre>
      )}
    </article>
  );
}

/** `/r/:repo/tree/:path*` (the root at `/r/:repo/tree/`): a folder's entries and its README. */
export function TreePage(props: TreePageProps) {
  const { tree } = props;
  const repoHref = `/r/${encodeURIComponent(tree.repo)}`;
  return (
    <Layout title={tree.path ? `${tree.path} – ${tree.repo}` : tree.repo} section="repo" assets={props.assets}>
      <Breadcrumbs repo={tree.repo} path={tree.path} />
      <div class="file-head">
        <h1>{tree.path ? tree.path.split('/').pop() : tree.repo}</h1>
        <p class="file-meta">
          <span>
            at <code>{tree.commit.slice(0, 10)}</code>
          </span>
          <a href={`${repoHref}/commits${tree.path ? `?path=${encodeURIComponent(tree.path)}` : ''}`}>History</a>
          {tree.githubUrl && (
            <a
              href={`${tree.githubUrl.replace(/\/$/, '')}/tree/${tree.commit}${tree.path ? `/${encodePath(tree.path)}` : ''}`}
              rel="noopener noreferrer"
            >
              View on GitHub
            </a>
          )}
        </p>
      </div>
      <TreeTable tree={tree} />
      {props.readme && <ReadmeArticle readme={props.readme} />}
    </Layout>
  );
}
