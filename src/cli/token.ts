import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { RegisterCommand } from './context.js';
import { formatAgo } from './render.js';

export const registerToken: RegisterCommand = (program, ctx) => {
  const token = program.command('token').description('API tokens for the HTTP API and /mcp (stored hashed; shown once at creation)');

  token
    .command('create')
    .description('create a token and print it once')
    .option('--name <name>', 'label to tell tokens apart', 'default')
    .option('--json', 'print {token, id, name, prefix, createdAt}')
    .action(
      ctx.action(async (opts: { name: string; json?: boolean }) => {
        const name = opts.name.trim();
        if (!/^[\w.@-]{1,64}$/.test(name)) {
          throw new GitloreError(ERROR_CODES.USAGE, `Invalid token name "${opts.name}".`, {
            hint: 'Use 1-64 letters, digits, dots, dashes or underscores.',
          });
        }
        const app = await ctx.app();
        const { createApiToken } = await import('../core/apiTokens.js');
        const { token: secret, record } = await createApiToken(app.store.tokens, name);
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
          ['ID', 'NAME', 'PREFIX', 'CREATED', 'LAST USED', 'STATUS'],
          tokens.map((t) => [
            t.id,
            t.name,
            `${t.prefix}…`,
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
        if (count === 0) {
          throw new GitloreError(ERROR_CODES.USAGE, `No active token "${idOrName}".`, {
            hint: 'Run `gitlore token list` to see ids and names.',
          });
        }
        ctx.terminal.line(`revoked ${count} token(s)`);
      }),
    );
};
