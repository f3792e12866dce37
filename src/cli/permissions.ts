import type { PermissionSyncReport, UserPermissionOutcome } from '../core/auth/permissionSync.js';
import type { RegisterCommand } from './context.js';
import { EXIT_FAILURE } from './exitCodes.js';
import { formatAgo, formatDuration, type Output } from './render.js';
import { withInterrupt } from './run.js';

function printOutcomes(out: Output, users: readonly UserPermissionOutcome[], emails: Map<string, string>): void {
  if (users.length === 0) return;
  out.table(
    ['USER', 'STATUS', 'REPOS', 'ADDED', 'REMOVED', 'ERROR'],
    users.map((u) => [emails.get(u.userId) ?? u.userId, u.status, u.repoCount, u.added, u.removed, u.error ?? '']),
  );
}

export const registerPermissions: RegisterCommand = (program, ctx) => {
  const permissions = program
    .command('permissions')
    .description('repository permissions mirrored from GitHub: which private repositories each user may read');

  permissions
    .command('sync')
    .description("refresh from GitHub now: everyone's (collaborators of each private repository, then each linked user), or one user's")
    .option('--user <email-or-login>', 'only this user, from their own GitHub token')
    .option('--json', 'one JSON document')
    .addHelpText(
      'after',
      '\nNeeds SECRET_KEY (to open the stored user tokens) and GITHUB_TOKEN with repo + read:org (to list collaborators).\nExit 1 when GitHub failed for a user or a repository (their last known access is kept).',
    )
    .action(
      ctx.action(async (opts: { user?: string; json?: boolean }) => {
        const app = await ctx.app();
        const [{ syncAllPermissions, syncUserPermissions }, { createContext }, { findUser }] = await Promise.all([
          import('../core/auth/permissionSync.js'),
          import('../core/context.js'),
          import('../core/users.js'),
        ]);
        const emails = new Map((await app.store.users.list()).map((u) => [u.id, u.email ?? u.githubLogin ?? u.id]));
        if (opts.user) {
          const user = await findUser(app, opts.user);
          const outcome = await withInterrupt((signal) => syncUserPermissions({ userId: user.id }, createContext(app, { signal })));
          if (opts.json) ctx.out.json(outcome);
          else {
            printOutcomes(ctx.out, [outcome], emails);
            if (outcome.status === 'unlinked') ctx.out.line(`${opts.user} has no GitHub token stored: only repo-driven grants apply.`);
          }
          return outcome.status === 'failed' ? EXIT_FAILURE : 0;
        }
        const report: PermissionSyncReport = await withInterrupt((signal) => syncAllPermissions({}, createContext(app, { signal })));
        if (opts.json) ctx.out.json(report);
        else {
          printOutcomes(ctx.out, report.users, emails);
          for (const failed of report.repos.failed) ctx.out.line(`${failed.repo}: ${failed.error} (its last known grants stay)`);
          ctx.out.line(
            `synced permissions of ${report.users.length} users and ${report.repos.checked} private repositories in ${formatDuration(report.tookMs)}`,
          );
        }
        const failed = report.users.some((u) => u.status === 'failed') || report.repos.failed.length > 0;
        return failed ? EXIT_FAILURE : 0;
      }),
    );

  permissions
    .command('show')
    .description("a user's permission sync state and the private repositories they may read")
    .requiredOption('--user <email-or-login>', 'the user')
    .option('--json', 'one JSON document')
    .action(
      ctx.action(async (opts: { user: string; json?: boolean }) => {
        const app = await ctx.app();
        const [{ showPermissions }, { createContext }, { findUser }] = await Promise.all([
          import('../core/auth/permissionSync.js'),
          import('../core/context.js'),
          import('../core/users.js'),
        ]);
        const user = await findUser(app, opts.user);
        const view = await showPermissions({ userId: user.id }, createContext(app));
        if (opts.json) {
          ctx.out.json(view);
          return;
        }
        const state = view.state;
        ctx.out.line(`${opts.user}: GitHub ${view.githubLogin ?? 'not linked'}${view.linked ? ' (token stored)' : ''}`);
        ctx.out.line(
          state
            ? `last sync: ${state.status}${state.lastSyncedAt ? ` ${formatAgo(state.lastSyncedAt)}` : ''}${state.lastError ? ` (${state.lastError})` : ''}`
            : 'never synced',
        );
        ctx.out.line(view.repos.length > 0 ? `private repositories: ${view.repos.join(', ')}` : 'no private repositories');
      }),
    );
};
