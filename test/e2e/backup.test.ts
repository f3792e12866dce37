import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { commitFiles, makeRepo, tempDir } from '../helpers/git.js';

/** `gitlore backup` / `restore` end to end: real git, real SQLite, the real CLI, a folder target. */
let root: string;
const FIXTURES = join(import.meta.dirname, '../fixtures/code');
const envFor = (data: string) => ({ GITLORE_DATA_DIR: data, GITLORE_EMBEDDINGS: 'none' });
const cliIn = (data: string, ...args: string[]) => runCli(args, { env: envFor(data), cwd: root });
const cli = (...args: string[]) => cliIn(join(root, 'data'), ...args);

/** The answers that must survive a round trip, without timings. */
async function answers(data: string): Promise<unknown> {
  const strip = (text: string) => JSON.parse(text, (key, value) => (key === 'tookMs' ? undefined : value));
  const search = await cliIn(data, 'search', 'request', 'header', '--json');
  expect(search.code, search.stderr).toBe(0);
  const symbol = await cliIn(data, 'search', 'Client', '--mode', 'symbol', '--json');
  const log = await cliIn(data, 'log', '--repo', 'proj', '--json');
  expect(log.code, log.stderr).toBe(0);
  return { search: strip(search.stdout), symbol: strip(symbol.stdout), log: strip(log.stdout) };
}

const manifests = (folder: string) => readdirSync(join(folder, 'backups')).sort();

beforeAll(async () => {
  root = tempDir('gitlore-backup-e2e-');
  const files: Record<string, string> = {};
  for (const name of ['sample.ts', 'request.js', 'sample.py', 'guide.md'])
    files[`src/${name}`] = readFileSync(join(FIXTURES, name), 'utf8');
  makeRepo(join(root, 'proj'), files);
  commitFiles(join(root, 'proj'), { 'src/extra.ts': 'export function extraHelper(x: number) {\n  return x + 1;\n}\n' }, 'add extra helper');
  makeRepo(join(root, 'other'), { 'README.md': '# other\n\nA second repository.\n' });
  for (const repo of ['proj', 'other']) expect((await cli('repo', 'add', join(root, repo))).code).toBe(0);
  expect((await cli('sync')).code).toBe(0);
  const index = await cli('index');
  expect(index.code, index.stderr).toBe(0);
});

describe('gitlore backup and restore (folder)', () => {
  it('a dry run lists the database and one bundle per clone with sizes, and writes nothing', async () => {
    const target = join(root, 'dry');
    const out = await cli('backup', '--to', target, '--dry-run', '--json');
    expect(out.code, out.stderr).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(report.dryRun).toBe(true);
    expect(report.items.map((i: { kind: string; name: string }) => `${i.kind}:${i.name}`).sort()).toEqual([
      'clone:other',
      'clone:proj',
      'database:sqlite',
    ]);
    for (const item of report.items) expect(item.size).toBeGreaterThan(0);
    expect(existsSync(target)).toBe(false);
  });

  it('round-trips: restore into an empty data dir gives the same search and history answers', async () => {
    const target = join(root, 'bk-roundtrip');
    const first = await cli('backup', '--to', target, '--json');
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.items.every((i: { reused: boolean }) => !i.reused)).toBe(true);
    expect(manifests(target)).toEqual([`${report.id}.json`]);
    const manifest = JSON.parse(readFileSync(join(target, 'backups', `${report.id}.json`), 'utf8'));
    expect(manifest).toMatchObject({ format: 1, backend: 'sqlite', id: report.id });
    for (const item of manifest.items) expect(item.sha256).toMatch(/^[0-9a-f]{64}$/);

    const restored = join(root, 'restored');
    const restore = await cliIn(restored, 'restore', '--from', target, '--json');
    expect(restore.code, restore.stderr).toBe(0);
    const result = JSON.parse(restore.stdout);
    expect(result).toMatchObject({ id: report.id, clones: 2, reindex: [], resync: [] });
    expect(readdirSync(restored).sort()).toEqual(['index', 'repos']);
    expect(await answers(restored)).toEqual(await answers(join(root, 'data')));
    // The restored clones are set up as the syncer expects: a sync fetches from the same origin.
    const sync = await cliIn(restored, 'sync');
    expect(sync.code, sync.stderr).toBe(0);
    const index = await cliIn(restored, 'index', '--json');
    expect(JSON.parse(index.stdout).repos.map((r: { status: string }) => r.status)).toEqual(['unchanged', 'unchanged']);
  });

  it('is incremental: unchanged clones are referenced, not uploaded again; a changed one is', async () => {
    const target = join(root, 'bk-incremental');
    const first = JSON.parse((await cli('backup', '--to', target, '--json')).stdout);
    const second = JSON.parse((await cli('backup', '--to', target, '--json')).stdout);
    const reused = (r: { items: { kind: string; name: string; reused: boolean }[] }) =>
      r.items
        .filter((i) => i.kind === 'clone' && i.reused)
        .map((i) => i.name)
        .sort();
    expect(reused(second)).toEqual(['other', 'proj']);
    commitFiles(join(root, 'proj'), { 'src/later.ts': 'export const later = 1;\n' }, 'later change');
    expect((await cli('sync')).code).toBe(0);
    const third = JSON.parse((await cli('backup', '--to', target, '--json')).stdout);
    expect(reused(third)).toEqual(['other']);
    expect(manifests(target)).toEqual([first.id, second.id, third.id].map((id) => `${id}.json`).sort());

    // --keep 1: only the newest manifest stays, and only the objects it refers to.
    const kept = await cli('backup', '--to', target, '--keep', '1', '--json');
    const keptReport = JSON.parse(kept.stdout);
    expect(keptReport.removed.sort()).toEqual([first.id, second.id, third.id].sort());
    expect(manifests(target)).toEqual([`${keptReport.id}.json`]);
    const objects = readdirSync(join(target, 'objects')).sort();
    expect(objects).toEqual([...new Set(keptReport.items.map((i: { sha256: string }) => i.sha256))].sort());
    const restored = join(root, 'restored-kept');
    expect((await cliIn(restored, 'restore', '--from', target)).code).toBe(0);
    expect(await answers(restored)).toEqual(await answers(join(root, 'data')));
  });

  it('refuses a corrupt, partial or missing backup and leaves the data dir untouched', async () => {
    const target = join(root, 'bk-bad');
    const report = JSON.parse((await cli('backup', '--to', target, '--json')).stdout);
    const dest = join(root, 'never');
    const bundle = report.items.find((i: { name: string }) => i.name === 'proj');
    const objectPath = join(target, 'objects', bundle.sha256);
    const good = readFileSync(objectPath);

    writeFileSync(objectPath, Buffer.concat([good.subarray(0, good.length - 1), Buffer.from([good[good.length - 1] ^ 1])]));
    const corrupt = await cliIn(dest, 'restore', '--from', target);
    expect(corrupt.code).toBe(1);
    expect(corrupt.stderr).toMatch(/is corrupt: the clone of proj .* does not match its checksum/);
    expect(existsSync(dest)).toBe(false);
    expect(readdirSync(root).filter((n) => n.startsWith('never'))).toEqual([]);

    rmSync(objectPath);
    const missing = await cliIn(dest, 'restore', '--from', target);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/is incomplete: the clone of proj .* is missing/);
    writeFileSync(objectPath, good);

    // A backup cut short before its manifest: nothing to restore.
    rmSync(join(target, 'backups'), { recursive: true });
    const partial = await cliIn(dest, 'restore', '--from', target);
    expect(partial.code).toBe(1);
    expect(partial.stderr).toMatch(/no complete backup \(no manifest\)/);
    expect(existsSync(dest)).toBe(false);
  });

  it('refuses to back up a data dir that holds no database, and creates none there', async () => {
    const empty = join(root, 'no-such-data');
    const out = await cliIn(empty, 'backup', '--to', join(root, 'bk-empty'));
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/no gitlore database at .*no-such-data.* GITLORE_DATA_DIR/);
    expect(existsSync(empty)).toBe(false);
  });

  it('refuses a data dir that is not empty, naming the fix, and touches nothing there', async () => {
    const target = join(root, 'bk-nonempty');
    expect((await cli('backup', '--to', target)).code).toBe(0);
    const live = join(root, 'data');
    const before = readFileSync(join(live, 'index', 'gitlore.db'));
    const out = await cliIn(live, 'restore', '--from', target);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/not an empty folder.*new data folder/);
    expect(readFileSync(join(live, 'index', 'gitlore.db')).equals(before)).toBe(true);
  });

  it('a repository whose clone is not in the backup is cloned again from its origin and re-indexed; --no-reindex only marks it', async () => {
    const target = join(root, 'bk-noclone');
    const report = JSON.parse((await cli('backup', '--to', target, '--json')).stdout);
    const key = join(target, 'backups', `${report.id}.json`);
    const manifest = JSON.parse(readFileSync(key, 'utf8'));
    manifest.items = manifest.items.filter((i: { name: string }) => i.name !== 'other');
    writeFileSync(key, JSON.stringify(manifest));

    const marked = join(root, 'restored-noclone-marked');
    const only = await cliIn(marked, 'restore', '--from', target, '--no-reindex', '--json');
    expect(only.code, only.stderr).toBe(0);
    const result = JSON.parse(only.stdout);
    expect(result.reindex).toEqual([{ repo: 'other', reason: 'clone missing' }]);
    expect(result.resync).toEqual(['other']);
    expect(result.rebuild).toBeUndefined();
    const db = new Database(join(marked, 'index', 'gitlore.db'), { readonly: true });
    const rows = db.prepare('SELECT r.name, s.status, s.commit_sha AS c FROM index_repos s JOIN repos r ON r.id = s.repo_id').all();
    db.close();
    expect(rows).toContainEqual({ name: 'other', status: 'pending', c: null });

    const restored = join(root, 'restored-noclone');
    const out = await cliIn(restored, 'restore', '--from', target, '--json');
    expect(out.code, out.stderr).toBe(0);
    const rebuilt = JSON.parse(out.stdout);
    expect(rebuilt.reindex).toEqual([{ repo: 'other', reason: 'clone missing' }]);
    expect(rebuilt.rebuild).toMatchObject({ synced: ['other'], indexed: ['other'], failed: [] });
    const status = JSON.parse((await cliIn(restored, 'index', 'status', '--json')).stdout);
    expect(status.repos.find((r: { repo: string }) => r.repo === 'other')).toMatchObject({ status: 'ok', upToDate: true, files: 1 });
    expect(await answers(restored)).toEqual(await answers(join(root, 'data')));
  });

  it('a backup whose index rows are missing restores to the same search answers (re-indexed, never silently empty)', async () => {
    // A copy of the data dir whose database says `proj` is indexed, with its index rows gone.
    const damaged = join(root, 'data-no-index');
    cpSync(join(root, 'data'), damaged, { recursive: true });
    // Its clone of proj may be ahead of its index (an earlier test synced a commit): index it first, so the answers
    // before the damage are those of an index that matches the clone.
    expect((await cliIn(damaged, 'index')).code).toBe(0);
    const before = await answers(damaged);
    const db = new Database(join(damaged, 'index', 'gitlore.db'));
    db.pragma('foreign_keys = ON');
    db.prepare("DELETE FROM index_files WHERE repo_id = (SELECT id FROM repos WHERE name = 'proj')").run();
    db.close();
    const empty = JSON.parse((await cliIn(damaged, 'search', 'request', 'header', '--json')).stdout);
    expect(empty.results.filter((r: { repo: string }) => r.repo === 'proj')).toEqual([]);
    const target = join(root, 'bk-no-index');
    expect((await cliIn(damaged, 'backup', '--to', target)).code).toBe(0);

    const restored = join(root, 'restored-no-index');
    const out = await cliIn(restored, 'restore', '--from', target);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/index did not match: proj \(index rows missing\)/);
    expect(out.stdout).toMatch(/re-indexed: proj/);
    expect(await answers(restored)).toEqual(before);
  });

  it('takes a consistent backup while an index rebuild and queries run', async () => {
    const target = join(root, 'bk-live');
    const [index, backup, ...searches] = await Promise.all([
      cli('index', '--full'),
      cli('backup', '--to', target, '--json'),
      cli('search', 'request', '--json'),
      cli('search', 'extraHelper', '--json'),
    ]);
    expect(index.code, index.stderr).toBe(0);
    expect(backup.code, backup.stderr).toBe(0);
    for (const s of searches) expect(s.code, s.stderr).toBe(0);
    const restored = join(root, 'restored-live');
    const out = await cliIn(restored, 'restore', '--from', target, '--json');
    expect(out.code, out.stderr).toBe(0);
    const db = new Database(join(restored, 'index', 'gitlore.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    const search = await cliIn(restored, 'search', 'extraHelper', '--json');
    expect(search.code, search.stderr).toBe(0);
  });

  it('backs up everything else when one clone is damaged, names it, and exits 1', async () => {
    makeRepo(join(root, 'broken'), { 'a.txt': 'alpha\n' });
    expect((await cli('repo', 'add', join(root, 'broken'))).code).toBe(0);
    expect((await cli('sync')).code).toBe(0);
    const objects = join(root, 'data', 'repos', 'broken', '.git', 'objects');
    for (const entry of readdirSync(objects)) if (entry !== 'info') rmSync(join(objects, entry), { recursive: true });
    const target = join(root, 'bk-damaged');
    const out = await cli('backup', '--to', target, '--json');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/missing 1 clone\(s\) that could not be bundled/);
    const report = JSON.parse(out.stdout);
    expect(report.failed.map((f: { repo: string }) => f.repo)).toEqual(['broken']);
    expect(report.items.map((i: { name: string }) => i.name).sort()).toEqual(['other', 'proj', 'sqlite']);
    const restore = await cliIn(join(root, 'restored-damaged'), 'restore', '--from', target, '--json');
    expect(restore.code, restore.stderr).toBe(0);
    expect(JSON.parse(restore.stdout).resync).toEqual(['broken']);
  });
});
