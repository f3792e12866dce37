import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { commitFiles, git, makeRepo, tempDir } from '../helpers/git.js';

/** A git killed mid-checkout or mid-fetch leaves its lock files in the clone; the next sync must not trip on them. */
describe('fault: lock files a killed git left in a clone', () => {
  it('the next sync removes them and brings the clone to the new upstream head at once', async () => {
    const root = tempDir('gitlore-fault-gitlock-');
    const upstream = join(root, 'up', 'api');
    makeRepo(upstream, { 'src/a.ts': 'export const a = 1;\n' });
    const cli = (args: string[]) => runCli(args, { env: { GITLORE_DATA_DIR: join(root, 'data'), GITLORE_SYNC_RETRIES: '0' }, cwd: root });
    expect((await cli(['repo', 'add', upstream, '--name', 'api'])).code).toBe(0);
    expect((await cli(['sync'])).code).toBe(0);

    const clone = join(root, 'data', 'repos', 'api');
    // What `kill -9` leaves: checkout's index lock, then fetch's lock on the remote-tracking ref.
    const leftBehind = [join('.git', 'index.lock'), join('.git', 'refs', 'remotes', 'origin', 'main.lock')];
    for (const [i, lock] of leftBehind.entries()) {
      writeFileSync(join(clone, lock), '');
      const head = commitFiles(upstream, { [`src/b${i}.ts`]: `export const b = ${i};\n` }, `commit ${i}`);
      const started = Date.now();
      const sync = await cli(['sync', '--json']);
      // Before the fix: exit 1, "Unable to create '…/<lock>': File exists" until the lock was a minute old.
      expect(sync.code, sync.stderr).toBe(0);
      expect(JSON.parse(sync.stdout).repos[0]).toMatchObject({ name: 'api', status: 'updated', headCommit: head });
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(existsSync(join(clone, lock))).toBe(false);
      expect(git(clone, ['rev-parse', 'HEAD'])).toBe(head);
      expect(git(clone, ['status', '--porcelain'])).toBe('');
    }
  }, 60_000);
});
