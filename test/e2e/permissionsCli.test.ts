import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { ADA_TOKEN, createPermissionWorld, type PermissionWorld } from '../helpers/permissionWorld.js';

/** `gitlore permissions sync|show` on the world of test/helpers/permissionWorld.ts, through the CLI's run(). */
let world: PermissionWorld;
const cli = (...args: string[]) => runCli(args, { env: world.env });

beforeAll(async () => {
  world = await createPermissionWorld();
  // The CLI opens the store itself, as it would on a server's data dir.
  await world.services.close();
  world.perms.grant('ada', 'acme/alpha');
  world.perms.collaborators.set('acme/gamma', new Set(['cy']));
});

afterAll(async () => {
  await world?.github.close();
});

describe('gitlore permissions', () => {
  it('explains itself with --help', async () => {
    const help = await cli('permissions', 'sync', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--user <email-or-login>');
    expect(help.stdout).toContain('read:org');
    expect((await cli('permissions', '--help')).stdout).toMatch(/sync[\s\S]*show/);
  });

  it('syncs everyone, then shows a user, as tables and as JSON', async () => {
    const all = await cli('permissions', 'sync', '--json');
    expect(all.code, all.stderr).toBe(0);
    const report = JSON.parse(all.stdout) as { users: { userId: string; status: string; repoCount: number }[] };
    expect(report.users.map((u) => [u.userId, u.status, u.repoCount]).sort()).toEqual(
      [
        [world.users.ada.id, 'ok', 1],
        [world.users.bob.id, 'ok', 0],
        [world.users.cy.id, 'unlinked', 1],
      ].sort(),
    );
    const shown = await cli('permissions', 'show', '--user', 'ada@acme.dev', '--json');
    expect(JSON.parse(shown.stdout)).toMatchObject({ githubLogin: 'ada', linked: true, state: { status: 'ok' }, repos: ['alpha'] });
    const table = await cli('permissions', 'show', '--user', 'cy');
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('private repositories: gamma');
    const text = await cli('permissions', 'sync', '--user', 'bob');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/bob@acme\.dev\s+ok\s+0/);
  });

  it('exits 1 when GitHub fails (keeping access), 2 for an unknown user; tokens never printed', async () => {
    // A 404 keeps access like a 5xx, without Octokit's real-time retry waits (5xx is covered in permissionSync.test.ts).
    world.perms.fail({ token: ADA_TOKEN, status: 404 });
    const failed = await cli('permissions', 'sync', '--user', 'ada', '--json');
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ status: 'failed', repoCount: 1 });
    expect(failed.stdout + failed.stderr).not.toContain(ADA_TOKEN);
    world.perms.clearFailures();
    const unknown = await cli('permissions', 'show', '--user', 'eve@evil.io');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No user eve@evil.io');
    expect((await cli('permissions', 'show')).code).toBe(2);
  });
});
