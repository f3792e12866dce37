import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/backends.js';
import { runCli } from '../helpers/cli.js';
import { makeRepo, tempDir } from '../helpers/git.js';

/** `gitlore backup` / `restore` of a PostgreSQL install: pg_dump -Fc, pg_restore into an empty database, the clones as bundles. */
const PG_BIN = process.env.GITLORE_PG_BIN ?? '/usr/lib/postgresql/15/bin';
let root: string;
const databases: { url: string; drop: () => Promise<void> }[] = [];
const envFor = (data: string, url: string) => ({
  GITLORE_DATA_DIR: data,
  GITLORE_EMBEDDINGS: 'none',
  DATABASE_URL: url,
  GITLORE_PG_BIN: PG_BIN,
});
let source: string;

async function answers(data: string, url: string): Promise<unknown> {
  const strip = (text: string) => JSON.parse(text, (key, value) => (key === 'tookMs' ? undefined : value));
  const search = await runCli(['search', 'invoice', 'total', '--json'], { env: envFor(data, url), cwd: root });
  expect(search.code, search.stderr).toBe(0);
  const log = await runCli(['log', '--repo', 'billing', '--json'], { env: envFor(data, url), cwd: root });
  expect(log.code, log.stderr).toBe(0);
  return { search: strip(search.stdout), log: strip(log.stdout) };
}

beforeAll(async () => {
  root = tempDir('gitlore-backup-pg-');
  for (let i = 0; i < 3; i++) databases.push(await createTestDatabase());
  source = databases[0].url;
  makeRepo(join(root, 'billing'), {
    'src/invoice.ts': 'export function invoiceTotal(lines: { amount: number }[]) {\n  return lines.reduce((s, l) => s + l.amount, 0);\n}\n',
  });
  const env = envFor(join(root, 'data'), source);
  expect((await runCli(['repo', 'add', join(root, 'billing')], { env, cwd: root })).code).toBe(0);
  expect((await runCli(['sync'], { env, cwd: root })).code).toBe(0);
  const index = await runCli(['index'], { env, cwd: root });
  expect(index.code, index.stderr).toBe(0);
});

afterAll(async () => {
  for (const db of databases) await db.drop();
});

describe('gitlore backup and restore (PostgreSQL)', () => {
  it('round-trips through pg_dump and pg_restore into an empty database', async () => {
    const target = join(root, 'bk');
    const backup = await runCli(['backup', '--to', target, '--json'], { env: envFor(join(root, 'data'), source), cwd: root });
    expect(backup.code, backup.stderr).toBe(0);
    const report = JSON.parse(backup.stdout);
    expect(report.items.find((i: { kind: string }) => i.kind === 'database')).toMatchObject({ name: 'postgres' });

    const restored = join(root, 'restored');
    const restore = await runCli(['restore', '--from', target, '--json'], { env: envFor(restored, databases[1].url), cwd: root });
    expect(restore.code, restore.stderr).toBe(0);
    expect(JSON.parse(restore.stdout)).toMatchObject({ clones: 1, reindex: [], resync: [] });
    expect(await answers(restored, databases[1].url)).toEqual(await answers(join(root, 'data'), source));

    // A database that already holds tables is refused, and the data dir is not created.
    const again = join(root, 'again');
    const refused = await runCli(['restore', '--from', target], { env: envFor(again, databases[1].url), cwd: root });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/the database is not empty/);
    expect(existsSync(again)).toBe(false);

    // A PostgreSQL backup without DATABASE_URL names the setting to fix.
    const noUrl = await runCli(['restore', '--from', target], { env: { GITLORE_DATA_DIR: again, GITLORE_EMBEDDINGS: 'none' }, cwd: root });
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toMatch(/PostgreSQL store, and DATABASE_URL is not set/);
  });

  it('a backup missing a clone restores into PostgreSQL with the clone fetched again and re-indexed, answering as before', async () => {
    const target = join(root, 'bk-noclone');
    const backup = await runCli(['backup', '--to', target, '--json'], { env: envFor(join(root, 'data'), source), cwd: root });
    expect(backup.code, backup.stderr).toBe(0);
    const key = join(target, 'backups', `${JSON.parse(backup.stdout).id}.json`);
    const manifest = JSON.parse(readFileSync(key, 'utf8'));
    manifest.items = manifest.items.filter((i: { kind: string }) => i.kind !== 'clone');
    writeFileSync(key, JSON.stringify(manifest));

    const restored = join(root, 'restored-noclone');
    const restore = await runCli(['restore', '--from', target, '--json'], { env: envFor(restored, databases[2].url), cwd: root });
    expect(restore.code, restore.stderr).toBe(0);
    const report = JSON.parse(restore.stdout);
    expect(report.reindex).toEqual([{ repo: 'billing', reason: 'clone missing' }]);
    expect(report.rebuild).toMatchObject({ synced: ['billing'], indexed: ['billing'], failed: [] });
    expect(await answers(restored, databases[2].url)).toEqual(await answers(join(root, 'data'), source));
  });
});
