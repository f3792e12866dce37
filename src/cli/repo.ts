import type { RepoRecord } from '../core/repos.js';
import type { RegisterCommand } from './context.js';
import { formatAgo } from './render.js';

/** What `repo list --json` shows for each repository. */
export function repoJson(r: RepoRecord) {
  return {
    name: r.name,
    fullName: r.fullName,
    source: r.sourceKey,
    sourceType: r.sourceType,
    cloneUrl: r.cloneUrl,
    htmlUrl: r.htmlUrl,
    defaultBranch: r.defaultBranch,
    description: r.description,
    language: r.language,
    isPrivate: r.isPrivate,
    isFork: r.isFork,
    isArchived: r.isArchived,
    localPath: r.localPath,
    headCommit: r.headCommit,
    lastSyncAt: r.lastSyncAt,
    syncStatus: r.syncStatus,
    syncError: r.syncError,
  };
}

export const registerRepo: RegisterCommand = (program, ctx) => {
  const repo = program.command('repo').description('register, list and remove repositories');

  repo
    .command('add')
    .description('register one repository (a git URL or a local folder); the next sync clones it')
    .argument('<target>', 'git URL (https, ssh, git@host:…, file://) or local repository folder')
    .option('--name <name>', 'name to use instead of the last URL segment or folder name')
    .option('--json', 'print the registered repository as JSON')
    .action(
      ctx.action(async (target: string, opts: { name?: string; json?: boolean }) => {
        const app = await ctx.app();
        const [{ addRepo }, { createContext }] = await Promise.all([import('../core/repos.js'), import('../core/context.js')]);
        const record = await addRepo({ target, name: opts.name }, createContext(app));
        if (opts.json) return ctx.out.json(repoJson(record));
        ctx.out.line(`added ${record.name} (${record.cloneUrl}); run \`gitlore sync repo ${record.name}\` to clone it`);
      }),
    );

  repo
    .command('list')
    .description('list registered repositories with their sync state')
    .option('--json', 'print one JSON document')
    .action(
      ctx.action(async (opts: { json?: boolean }) => {
        const app = await ctx.app();
        const [{ listRepos }, { createContext }] = await Promise.all([import('../core/repos.js'), import('../core/context.js')]);
        const repos = await listRepos({}, createContext(app));
        if (opts.json) return ctx.out.json({ repos: repos.map(repoJson) });
        if (repos.length === 0) {
          ctx.out.line('no repositories registered: set GITHUB_ORG / GITHUB_USER, or run `gitlore repo add <url | path>`');
          return;
        }
        ctx.out.table(
          ['name', 'source', 'status', 'head', 'last sync', 'url'],
          repos.map((r) => [
            r.name,
            r.sourceKey,
            r.syncStatus,
            r.headCommit?.slice(0, 8),
            formatAgo(r.lastSyncAt),
            r.htmlUrl ?? r.cloneUrl,
          ]),
        );
      }),
    );

  repo
    .command('remove')
    .alias('rm')
    .description('unregister a repository and delete its clone, index and history')
    .argument('<name>', 'name shown by `gitlore repo list`')
    .option('--json', 'print the removed repository as JSON')
    .action(
      ctx.action(async (name: string, opts: { json?: boolean }) => {
        const app = await ctx.app();
        const [{ removeRepo }, { createContext }] = await Promise.all([import('../core/repos.js'), import('../core/context.js')]);
        const { repo: removed, fromSource } = await removeRepo({ name }, createContext(app));
        if (opts.json) return ctx.out.json({ removed: repoJson(removed) });
        ctx.out.line(`removed ${removed.name}`);
        if (fromSource) {
          app.log.warn(`${removed.name} comes from ${removed.sourceKey}; the next sync registers it again unless "exclude" lists it`);
        }
      }),
    );
};
