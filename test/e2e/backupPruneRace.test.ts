import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { type BackupTarget, createBackup, openBackupTarget, pruneBackups } from '../../src/core/backup/index.js';
import { PENDING_PREFIX, PRUNING_PREFIX } from '../../src/core/backup/targetMarkers.js';
import { createContext } from '../../src/core/context.js';
import { createServices, type Services } from '../../src/core/services.js';
import { silentLogger } from '../../src/shared/logger.js';
import { runCli } from '../helpers/cli.js';
import { makeRepo, tempDir } from '../helpers/git.js';
import { type LocalS3, startLocalS3 } from '../helpers/s3rver.js';

/**
 * `--keep` pruning while another backup writes into the same target (two `gitlore backup --keep` from cron, or the
 * schedule beside a manual one): an object a running backup uploaded or chose to reuse is never deleted.
 */
const BUCKET = 'gitlore-race';

let root: string;
let s3: LocalS3;
let endpoint: string;
let services: Services;
let changes = 0;
const env = () => ({ GITLORE_DATA_DIR: join(root, 'data'), GITLORE_EMBEDDINGS: 'none' });

async function answers(data: string): Promise<unknown> {
  const strip = (text: string) => JSON.parse(text, (key, value) => (key === 'tookMs' ? undefined : value));
  const search = await runCli(['search', 'ledger', 'balance', '--json'], { env: { ...env(), GITLORE_DATA_DIR: data }, cwd: root });
  expect(search.code, search.stderr).toBe(0);
  expect(JSON.parse(search.stdout).results.length).toBeGreaterThan(0);
  return strip(search.stdout);
}

/** A write to the database, so the next backup has a database object no earlier one has. */
async function changeDatabase(): Promise<void> {
  changes += 1;
  const version = await services.store.artifacts.version('race-test');
  expect(await services.store.artifacts.put('race-test', Buffer.from(String(changes)), version)).not.toBeNull();
}

const backup = (target: BackupTarget, keep?: number) => createBackup({ to: target.url, target, keep }, createContext(services));

/** The target, with `before(op, key)` awaited before each call and every call recorded in order. */
function watched(target: BackupTarget, before: (op: string, key: string) => Promise<void> = async () => {}) {
  const log: string[] = [];
  const wrap: BackupTarget = {
    url: target.url,
    putFile: async (key, path, signal) => {
      await before('putFile', key);
      log.push(`putFile ${key}`);
      return target.putFile(key, path, signal);
    },
    putText: async (key, text) => {
      await before('putText', key);
      log.push(`putText ${key}`);
      return target.putText(key, text);
    },
    getFile: (key, path, signal) => target.getFile(key, path, signal),
    getText: (key) => target.getText(key),
    list: async (prefix) => {
      log.push(`list ${prefix}`);
      return target.list(prefix);
    },
    remove: (keys) => target.remove(keys),
  };
  return { target: wrap, log };
}

beforeAll(async () => {
  root = tempDir('gitlore-backup-race-');
  s3 = await startLocalS3(root, BUCKET);
  endpoint = s3.endpoint;
  makeRepo(join(root, 'ledger'), {
    'src/ledger.ts': 'export function ledgerBalance(entries: number[]): number {\n  return entries.reduce((a, b) => a + b, 0);\n}\n',
  });
  for (const args of [['repo', 'add', join(root, 'ledger')], ['sync'], ['index']]) {
    const result = await runCli(args, { env: env(), cwd: root });
    expect(result.code, result.stderr).toBe(0);
  }
  services = await createServices(loadConfig({ cwd: root, env: env() }), { log: silentLogger, embedder: null });
});

afterAll(async () => {
  await services?.close();
  await s3?.close();
});

describe.each(['folder', 's3'] as const)('pruning beside a running backup (%s)', (kind) => {
  const open = async (name: string) =>
    kind === 'folder'
      ? openBackupTarget(join(root, name))
      : openBackupTarget(`s3://${BUCKET}/${name}`, { s3: { endpoint, region: 'us-east-1' } });

  it('a prune between a backup’s object uploads and its manifest write leaves that backup restorable', async () => {
    const target = await open('race');
    const first = await backup(target);
    await changeDatabase();
    const second = await backup(target);
    await changeDatabase();
    let prune: Awaited<ReturnType<typeof pruneBackups>> | null = null;
    // Every object of the third backup is uploaded (its new database among them, named by no manifest yet) when,
    // just before its manifest is written, another process prunes the target down to one backup.
    const racing = watched(target, async (op, key) => {
      if (op === 'putText' && key.startsWith('backups/')) prune = await pruneBackups(target, 1);
    });
    const third = await backup(racing.target);
    expect(prune).toEqual({ removed: [first.id], deletedObjects: 0, objectsDeferred: true });
    expect(third.items.find((i) => i.kind === 'database')?.reused).toBe(false);

    const restored = join(root, `restored-${kind}`);
    const restore = await runCli(['restore', '--from', target.url, '--json'], {
      env: { ...env(), GITLORE_DATA_DIR: restored, AWS_ENDPOINT_URL_S3: endpoint, AWS_REGION: 'us-east-1' },
      cwd: root,
    });
    expect(restore.code, restore.stderr).toBe(0);
    expect(JSON.parse(restore.stdout).id).toBe(third.id);
    expect(await answers(restored)).toEqual(await answers(join(root, 'data')));

    // With no backup running, the next prune deletes what the deferred one left: only the kept manifest's objects stay.
    expect(await target.list(PENDING_PREFIX)).toEqual([]);
    const later = await pruneBackups(target, 1);
    expect(later.removed).toEqual([second.id]);
    expect(later.deletedObjects).toBeGreaterThan(0);
    expect((await target.list('objects/')).sort()).toEqual([...new Set(third.items.map((i) => `objects/${i.sha256}`))].sort());
    expect(await target.list(PRUNING_PREFIX)).toEqual([]);
  });

  it('a backup that starts while a prune runs chooses and uploads nothing until the prune is over', async () => {
    const target = await open('waits');
    await backup(target);
    await changeDatabase();
    // A prune in progress (another process), caught between its pending-marker check and its deletions.
    const pruning = `${PRUNING_PREFIX}other-process.json`;
    const now = new Date().toISOString();
    await target.putText(pruning, JSON.stringify({ startedAt: now, refreshedAt: now, host: 'other', pid: 1 }));
    const watching = watched(target);
    const running = backup(watching.target);
    await vi.waitFor(async () => expect((await target.list(PENDING_PREFIX)).length).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 600));
    const beforeEnd = watching.log.length;
    watching.log.push('prune over');
    await target.remove([pruning]);
    const report = await running;
    const during = watching.log.slice(0, beforeEnd);
    expect(during.filter((op) => op.startsWith('list objects/') || op.startsWith('putFile') || op.startsWith('list backups/'))).toEqual([]);
    expect(watching.log.indexOf('list objects/')).toBeGreaterThan(beforeEnd);
    expect(report.items.length).toBeGreaterThan(0);
    expect(await target.list(PENDING_PREFIX)).toEqual([]);
  });

  it('markers of dead processes (not refreshed for 15 minutes) neither block deletions nor stay behind', async () => {
    const target = await open('stale');
    await backup(target);
    await changeDatabase();
    const old = new Date(Date.now() - 16 * 60_000).toISOString();
    await target.putText(`${PENDING_PREFIX}crashed.json`, JSON.stringify({ startedAt: old, refreshedAt: old, host: 'x', pid: 1 }));
    await target.putText(`${PRUNING_PREFIX}crashed.json`, JSON.stringify({ startedAt: old, refreshedAt: old, host: 'x', pid: 1 }));
    const second = await backup(target, 1);
    expect(second.removed).toHaveLength(1);
    expect((await target.list('objects/')).sort()).toEqual([...new Set(second.items.map((i) => `objects/${i.sha256}`))].sort());
    expect(await target.list(PENDING_PREFIX)).toEqual([]);
    expect(await target.list(PRUNING_PREFIX)).toEqual([]);
  });
});
