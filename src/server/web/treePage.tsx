import type { TreeListing } from '../../core/tree.js';
import { blobHref, encodePath } from '../../shared/searchView.js';
import type { Assets } from './assets.js';
import { Breadcrumbs } from './breadcrumbs.js';
import { Layout } from './layout.js';

export interface TreePageProps {
  assets: Assets;
  tree: TreeListing;
  /** The folder's README: rendered markdown (safe HTML from renderMarkdown) or plain text. */
  readme: { name: string; html?: string; text?: string } | null;
}

function size(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `/r/:repo` and `/r/:repo/tree/:path*`: a folder's entries and its README. */
export function TreePage(props: TreePageProps) {
  const { tree } = props;
  const repoHref = `/r/${encodeURIComponent(tree.repo)}`;
  const parent = tree.path.includes('/') ? `${repoHref}/tree/${encodePath(tree.path.slice(0, tree.path.lastIndexOf('/')))}` : repoHref;
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
              <td class="num">{size(e.size)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.readme && (
        <article class="readme" aria-labelledby="readme-heading">
          <h2 id="readme-heading">{props.readme.name}</h2>
          {props.readme.html !== undefined ? (
            <div class="markdown" dangerouslySetInnerHTML={{ __html: props.readme.html }} />
          ) : (
            <pre>{props.readme.text}</pre>
          )}
        </article>
      )}
    </Layout>
  );
}
