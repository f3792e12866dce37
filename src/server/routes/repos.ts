import type { RouteDeps } from './deps.js';
import type { Routes } from './route.js';
import { addToolRoute } from './toolRoute.js';

/** Repositories: the list, one overview, its contributors. */
export function registerRepoRoutes(routes: Routes, deps: RouteDeps): void {
  addToolRoute(routes, deps, {
    path: '/api/repos',
    summary: 'List repositories',
    tool: 'list_repos',
    query: { q: 'query', query: 'query' },
    description: 'Repositories',
  });
  addToolRoute(routes, deps, {
    path: '/api/repos/:repo',
    summary: 'Repository overview',
    tool: 'get_repo_overview',
    params: ['repo'],
    description: 'Overview',
  });
  addToolRoute(routes, deps, {
    path: '/api/repos/:repo/contributors',
    summary: 'Contributors ranked by non-merge commits, grouped as git shortlog -sn',
    tool: 'get_contributors',
    params: ['repo'],
    query: { path: 'path', groupBy: 'groupBy' },
    description: 'Contributors',
  });
}
