import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/git.js';

/** `gitlore token create --user/--scope` and `gitlore audit`: tokens of users, and the log of what was done. */
let dataDir: string;
let adaId: string;
const cli = (args: string[]) => runCli(args, { dataDir, env: { GITLORE_DATA_DIR: dataDir, GITLORE_EMBEDDINGS: 'none' } });

beforeAll(async () => {
  dataDir = join(tempDir('gitlore-audit-'), 'data');
  expect((await cli(['status'])).code).toBe(0);
  // A user who signed in once (the sign-in flow lands in the server; the store is what it writes).
  const store = openSqliteStore(join(dataDir, 'index', 'gitlore.db'), { vectorIndexDir: null });
  const ada = await store.users.signIn(
    { provider: 'github', subject: '7', email: 'ada@acme.dev', githubLogin: 'ada-gh', githubId: 7 },
    { role: 'member', linkByEmail: false },
  );
  adaId = ada.id;
  await store.close();
});

describe('tokens of users, and the audit log', () => {
  it('creates a token for a user by email or GitHub login, with scopes; unknown users and scopes are usage errors', async () => {
    const made = await cli([
      'token',
      'create',
      '--name',
      'ada-mcp',
      '--user',
      'ADA@acme.dev',
      '--scope',
      'mcp',
      '--scope',
      'read',
      '--json',
    ]);
    expect(made.code, made.stderr).toBe(0);
    const doc = JSON.parse(made.stdout);
    expect(doc).toMatchObject({ name: 'ada-mcp', userId: adaId, scopes: ['mcp', 'read'] });
    expect(doc.token).toMatch(/^glt_[0-9a-f]{64}$/);
    const byLogin = await cli(['token', 'create', '--name', 'ada-2', '--user', 'ada-gh', '--json']);
    expect(JSON.parse(byLogin.stdout)).toMatchObject({ userId: adaId, scopes: [] });

    const unknown = await cli(['token', 'create', '--user', 'eve@evil.io']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/No user eve@evil\.io/);
    const badScope = await cli(['token', 'create', '--scope', 'root']);
    expect(badScope.code).toBe(2);
    expect(badScope.stderr).toMatch(/Unknown token scope "root".*read, mcp/);

    const list = JSON.parse((await cli(['token', 'list', '--json'])).stdout);
    expect(list.tokens.map((t: { name: string; userId: string }) => [t.name, t.userId])).toEqual([
      ['ada-mcp', adaId],
      ['ada-2', adaId],
    ]);
  });

  it('logs token creation and revocation, never the token, newest first, filterable', async () => {
    expect((await cli(['token', 'revoke', 'ada-2'])).code).toBe(0);
    const result = await cli(['audit', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const { events } = JSON.parse(result.stdout);
    expect(events.map((e: { action: string; target: string; actor: string }) => [e.action, e.target, e.actor])).toEqual([
      ['token.revoke', 'ada-2', 'local'],
      ['token.create', 'ada-2', 'local'],
      ['token.create', 'ada-mcp', 'local'],
    ]);
    expect(events[2].detail).toMatchObject({ userId: adaId, scopes: ['mcp', 'read'] });
    expect(result.stdout).not.toMatch(/glt_[0-9a-f]{64}/);

    const filtered = JSON.parse((await cli(['audit', '--action', 'token.create', '--limit', '1', '--json'])).stdout);
    expect(filtered.events.map((e: { target: string }) => e.target)).toEqual(['ada-2']);
    expect(JSON.parse((await cli(['audit', '--since', '2 days ago', '--json'])).stdout).events).toHaveLength(3);
    expect(JSON.parse((await cli(['audit', '--since', '2999-01-01', '--json'])).stdout).events).toHaveLength(0);
    const table = await cli(['audit']);
    expect(table.stdout).toMatch(/token\.revoke\s+ada-2/);

    const bad = await cli(['audit', '--since', '2024-13-45']);
    expect(bad.code).toBe(2);
    expect((await cli(['audit', '--limit', '0'])).code).toBe(2);
  });
});
