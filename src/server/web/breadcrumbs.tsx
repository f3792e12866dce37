import { encodePath } from '../../shared/searchView.js';

/** repo / folder / … / name, each folder a link to its tree; the last part is the current page. */
export function Breadcrumbs(props: { repo: string; path: string }) {
  const parts = props.path ? props.path.split('/') : [];
  const repoHref = `/r/${encodeURIComponent(props.repo)}`;
  return (
    <nav aria-label="Breadcrumb" class="crumbs">
      <ol>
        <li>{parts.length === 0 ? <span aria-current="page">{props.repo}</span> : <a href={repoHref}>{props.repo}</a>}</li>
        {parts.map((part, i) => (
          <li>
            {i === parts.length - 1 ? (
              <span aria-current="page">{part}</span>
            ) : (
              <a href={`${repoHref}/tree/${encodePath(parts.slice(0, i + 1).join('/'))}`}>{part}</a>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
