import { execFileSync } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createContext } from '../../src/core/context.js';
import { getFile } from '../../src/core/files.js';
import { createServices } from '../../src/core/services.js';
import { silentLogger } from '../../src/shared/logger.js';
import { runCli } from '../helpers/cli.js';
import { commitFiles, makeRepo, tempDir } from '../helpers/git.js';

const ENV = { GITLORE_EMBEDDINGS: 'none' };

async function fileText(env: Record<string, string>, path: string): Promise<string> {
  const services = await createServices(loadConfig({ env, cwd: tempDir('gitlore-fault-moved-cwd-') }), { log: silentLogger });
  try {
    return (await getFile({ repo: 'widgets', path }, createContext(services))).content;
  } finally {
    await services.store.close();
  }
}

function searchPaths(stdout: string): string[] {
  return (JSON.parse(stdout) as { results: { path: string }[] }).results.map((r) => r.path);
}

describe('fault: the data dir is moved, or REPOS_PATH changes, after a sync', () => {
  it('keeps sync, index, search and get_file working from the new place', async () => {
    const root = tempDir('gitlore-fault-moved-');
    const upstream = join(root, 'upstream', 'widgets');
    makeRepo(upstream, { 'src/gear.ts': 'export function turnGear(teeth: number) { return teeth * 2; }\n' });
    const before = { ...ENV, GITLORE_DATA_DIR: join(root, 'old') };
    const cli = (args: string[], env: Record<string, string>) => runCli(args, { env });

    expect((await cli(['repo', 'add', `file://${upstream}`, '--name', 'widgets'], before)).code).toBe(0);
    expect((await cli(['sync'], before)).code).toBe(0);
    expect((await cli(['index'], before)).code).toBe(0);

    // As an older gitlore left it: the clone folder stored absolute, not yet converted.
    const db = new Database(join(root, 'old', 'index', 'gitlore.db'));
    db.prepare('UPDATE repos SET local_path = ?').run(join(root, 'old', 'repos', 'widgets'));
    db.prepare("DELETE FROM schema_migrations WHERE id = 'repos-003'").run();
    db.close();

    execFileSync('mv', [join(root, 'old'), join(root, 'new')]);
    const after = { ...ENV, GITLORE_DATA_DIR: join(root, 'new') };
    commitFiles(upstream, { 'src/spring.ts': 'export function windSpring(turns: number) { return turns; }\n' }, 'spring');

    const sync = await cli(['sync'], after);
    expect(sync.stderr).not.toMatch(/ENOENT|old\/repos/);
    expect(sync.code).toBe(0);
    expect((await cli(['index'], after)).code).toBe(0);
    const search = await cli(['search', 'windSpring', '--mode', 'lexical', '--json'], after);
    expect(search.code).toBe(0);
    expect(searchPaths(search.stdout)).toContain('src/spring.ts');
    expect(await fileText(after, 'src/gear.ts')).toContain('turnGear');
    const list = JSON.parse((await cli(['repo', 'list', '--json'], after)).stdout) as { repos: { localPath: string }[] };
    expect(list.repos[0]?.localPath).toBe(join(root, 'new', 'repos', 'widgets'));
    expect(existsSync(join(root, 'old'))).toBe(false);
  });

  it('honours a changed REPOS_PATH for repositories synced before', async () => {
    const root = tempDir('gitlore-fault-repospath-');
    const upstream = join(root, 'upstream', 'widgets');
    makeRepo(upstream, { 'src/gear.ts': 'export function turnGear(teeth: number) { return teeth * 2; }\n' });
    const env = { ...ENV, GITLORE_DATA_DIR: join(root, 'data') };
    expect((await runCli(['repo', 'add', `file://${upstream}`, '--name', 'widgets'], { env })).code).toBe(0);
    expect((await runCli(['sync'], { env })).code).toBe(0);

    renameSync(join(root, 'data', 'repos'), join(root, 'clones'));
    const moved = { ...env, REPOS_PATH: join(root, 'clones') };
    expect((await runCli(['index'], { env: moved })).code).toBe(0);
    expect(await fileText(moved, 'src/gear.ts')).toContain('turnGear');
    const list = JSON.parse((await runCli(['repo', 'list', '--json'], { env: moved })).stdout) as { repos: { localPath: string }[] };
    expect(list.repos[0]?.localPath).toBe(join(root, 'clones', 'widgets'));
    expect(existsSync(join(root, 'data', 'repos', 'widgets'))).toBe(false);
  });
});
