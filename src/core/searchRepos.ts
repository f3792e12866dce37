import { repoPatternTest } from '../search/engine.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { caretHint, type ParsedQuery, type RepoPattern } from '../shared/queryLanguage.js';
import { closeMatches } from '../shared/suggest.js';
import type { RepoRecord } from '../store/index.js';
import type { RequestContext } from './context.js';
import { matchRepoName, resolveRepo, visibleRepos } from './repoGate.js';

export interface RepoScope {
  /** Every repository the principal may see. */
  visible: RepoRecord[];
  /** The ones to search, or null when the search is not narrowed (every visible one). */
  searched: RepoRecord[] | null;
  /** Those named exactly (`--repo`, `repo:name`): an unindexed one is an error, not an empty answer. */
  named: RepoRecord[];
}

/**
 * The repositories a search covers: `--repo` names, then the `repo:` filters (any include, no
 * exclude), each resolved only among the repositories the principal may see, so a filter can
 * narrow the search but never widen it or tell a hidden repository from a missing one.
 */
export async function scopeRepos(
  ctx: RequestContext,
  query: string,
  flagNames: string[] | undefined,
  repos: ParsedQuery['repos'],
): Promise<RepoScope> {
  const visible = await visibleRepos(ctx);
  const flagged = flagNames && flagNames.length > 0 ? await Promise.all(flagNames.map((name) => resolveRepo(ctx, name))) : null;
  const named = [...(flagged ?? [])];
  const test = (pattern: RepoPattern): ((repo: RepoRecord) => boolean) => {
    if (pattern.kind !== 'name') return repoPatternTest(query, pattern);
    const repo = matchRepoName(visible, pattern.value);
    if (!repo) throw unknownRepo(query, pattern, visible);
    named.push(repo);
    return (r) => r.id === repo.id;
  };
  const include = repos.include.map(test);
  const exclude = repos.exclude.map(test);
  if (!flagged && include.length === 0 && exclude.length === 0) return { visible, searched: null, named };
  const searched = (flagged ?? visible).filter((r) => (include.length === 0 || include.some((t) => t(r))) && !exclude.some((t) => t(r)));
  return { visible, searched, named: named.filter((r) => searched.includes(r)) };
}

function unknownRepo(query: string, pattern: RepoPattern, visible: RepoRecord[]): GitloreError {
  const near = closeMatches(
    pattern.value,
    visible.map((r) => r.name),
  );
  const contains = visible.filter((r) => r.name.toLowerCase().includes(pattern.value.toLowerCase())).map((r) => r.name);
  const suggestions = [...new Set([...near, ...contains])].slice(0, 3);
  return new GitloreError(
    ERROR_CODES.REPO_NOT_FOUND,
    `No repository named ${JSON.stringify(pattern.value)} (repo: at column ${pattern.column})${suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : '.'}`,
    {
      hint: caretHint(
        query,
        pattern.column,
        `write repo:*${pattern.value}* for every name containing it; \`gitlore repo list\` shows the names`,
      ),
    },
  );
}
