import type { RegisterCommand } from './context.js';
import { wholeNumber } from './flags.js';
import { formatAgo } from './render.js';

interface AuditFlags {
  actor?: string;
  action?: string;
  since?: string;
  limit: number;
  json?: boolean;
}

export const registerAudit: RegisterCommand = (program, ctx) => {
  program
    .command('audit')
    .description('the audit log, newest first: sign-ins and refusals, tokens, admin actions, permission changes')
    .option('--actor <id>', 'only this actor (a user id, local, anonymous)')
    .option('--action <action>', 'only this action, or a prefix ending in "." (token.)')
    .option('--since <date>', 'only events on or after DATE (2026-12-01, "2 days ago")')
    .option('--limit <n>', 'events at most (1-1000)', wholeNumber('--limit', 1, 1000), 100)
    .option('--json', 'one JSON document')
    .action(
      ctx.action(async (opts: AuditFlags) => {
        const app = await ctx.app();
        const [{ listAudit }, { createContext }] = await Promise.all([import('../core/audit.js'), import('../core/context.js')]);
        const events = await listAudit(
          { actor: opts.actor, action: opts.action, since: opts.since, limit: opts.limit },
          createContext(app),
        );
        if (opts.json) {
          ctx.out.json({ events });
          return;
        }
        if (events.length === 0) {
          ctx.out.line('No audit events yet.');
          return;
        }
        ctx.out.table(
          ['WHEN', 'ACTOR', 'ACTION', 'TARGET', 'DETAIL'],
          events.map((e) => [formatAgo(e.at), e.actor, e.action, e.target ?? '-', JSON.stringify(e.detail)]),
        );
      }),
    );
};
