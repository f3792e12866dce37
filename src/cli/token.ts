import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { RegisterCommand } from './context.js';
import { formatAgo } from './render.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export const registerToken: RegisterCommand = (program, ctx) => {
  const token = program.command('token').description('API tokens for the HTTP API and /mcp (stored hashed; shown once at creation)');

  token
    .command('create')
    .description('create a token and print it once')
    .option('--name <name>', 'label to tell tokens apart', 'default')
    .option('--user <email-or-login>', 'a token of this user: it sees and may do only what the user may')
    .option('--scope <scope>', 'narrower rights: read (no sync or other changes), mcp (only /mcp); repeatable', collect)
    .option('--json', 'print {token, id, name, prefix, createdAt, userId, scopes}')
    .action(
      ctx.action(async (opts: { name: string; user?: string; scope?: string[]; json?: boolean }) => {
        const name = opts.name.trim();
        const app = await ctx.app();
        const [{ issueToken }, { createContext }] = await Promise.all([import('../core/apiTokens.js'), import('../core/context.js')]);
        const { token: secret, record } = await issueToken({ name, user: opts.user, scopes: opts.scope }, createContext(app));
        if (opts.json) {
          ctx.out.json({ token: secret, ...record });
          return;
        }
        // The token itself must reach stdout unredacted: write it directly.
        ctx.out.raw(`${secret}\n`);
        ctx.terminal.line(
          `token ${record.id} "${record.name}" created; it is shown only now. Send it as \`Authorization: Bearer <token>\`.`,
        );
      }),
    );

  token
    .command('list')
    .description('list tokens (never their values)')
    .option('--json', 'one JSON document')
    .action(
      ctx.action(async (opts: { json?: boolean }) => {
        const app = await ctx.app();
        const tokens = await app.store.tokens.list();
        if (opts.json) {
          ctx.out.json({ tokens });
          return;
        }
        if (tokens.length === 0) {
          ctx.out.line('No API tokens. Create one with `gitlore token create --name <who>`.');
          return;
        }
        ctx.out.table(
          ['ID', 'NAME', 'PREFIX', 'USER', 'SCOPES', 'CREATED', 'LAST USED', 'STATUS'],
          tokens.map((t) => [
            t.id,
            t.name,
            `${t.prefix}…`,
            t.userId ?? '-',
            t.scopes.length > 0 ? t.scopes.join(',') : 'all',
            formatAgo(t.createdAt),
            formatAgo(t.lastUsedAt),
            t.revokedAt ? 'revoked' : 'active',
          ]),
        );
      }),
    );

  token
    .command('revoke')
    .description('revoke a token by id or name')
    .argument('<id-or-name>', 'token id (from `gitlore token list`) or name')
    .action(
      ctx.action(async (idOrName: string) => {
        const app = await ctx.app();
        const count = await app.store.tokens.revoke(idOrName);
        if (count > 0) {
          const [{ recordAudit }, { createContext }] = await Promise.all([import('../core/audit.js'), import('../core/context.js')]);
          await recordAudit(createContext(app), { action: 'token.revoke', target: idOrName, detail: { count } });
        }
        if (count === 0) {
          throw new GitloreError(ERROR_CODES.USAGE, `No active token "${idOrName}".`, {
            hint: 'Run `gitlore token list` to see ids and names.',
          });
        }
        ctx.terminal.line(`revoked ${count} token(s)`);
      }),
    );
};
