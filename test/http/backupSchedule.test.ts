import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createContext } from '../../src/core/context.js';
import { indexRepos } from '../../src/core/indexRepos.js';
import { createServices, type Services } from '../../src/core/services.js';
import { startServer } from '../../src/server/serve.js';
import { silentLogger } from '../../src/shared/logger.js';
import { runCli } from '../helpers/cli.js';
import { commitFiles, makeRepo, tempDir } from '../helpers/git.js';

/** Scheduled backups from `serve` (GITLORE_BACKUP_URL): taken while requests are answered and an index rebuild runs. */
let root: string;
let services: Services;
const data = () => join(root, 'data');
const target = () => join(root, 'backups');
const cliIn = (dir: string, ...args: string[]) => runCli(args, { env: { GITLORE_DATA_DIR: dir, GITLORE_EMBEDDINGS: 'none' }, cwd: root });

beforeAll(async () => {
  root = tempDir('gitlore-backup-serve-');
  makeRepo(join(root, 'proj'), {
    'src/queue.ts': 'export class JobQueue {\n  enqueue(job: string) {\n    return job.length;\n  }\n}\n',
  });
  commitFiles(
    join(root, 'proj'),
    { 'src/worker.ts': 'export function runWorker(name: string) {\n  return name.toUpperCase();\n}\n' },
    'worker',
  );
  expect((await cliIn(data(), 'repo', 'add', join(root, 'proj'))).code).toBe(0);
  expect((await cliIn(data(), 'sync')).code).toBe(0);
  expect((await cliIn(data(), 'index')).code).toBe(0);
  const env = { GITLORE_DATA_DIR: data(), GITLORE_EMBEDDINGS: 'none', GITLORE_BACKUP_URL: target(), GITLORE_BACKUP_INTERVAL: '60' };
  services = await createServices(loadConfig({ cwd: root, env }), { log: silentLogger, embedder: null });
});

afterAll(async () => {
  await services?.close();
});

describe('scheduled backups from serve', () => {
  it('backs up on the interval while queries and an index run, and the backup restores to the same answers', async () => {
    const taken: string[] = [];
    const server = await startServer({
      app: services,
      version: '9.9.9',
      host: '127.0.0.1',
      port: 0,
      jobs: null,
      background: false,
      backups: { intervalMs: 30, retryBaseMs: 10, onBackup: (id) => taken.push(id) },
    });
    let answered = 0;
    try {
      const index = indexRepos({ full: true, skipEmbeddings: true }, createContext(services));
      const queries = (async () => {
        while (taken.length < 2) {
          const res = await fetch(`${server.url}/api/search?q=JobQueue`);
          expect(res.status).toBe(200);
          await res.json();
          answered += 1;
        }
      })();
      await Promise.all([index, queries]);
    } finally {
      await server.close();
    }
    expect(taken.length).toBeGreaterThanOrEqual(2);
    expect(answered).toBeGreaterThan(0);

    const restored = join(root, 'restored');
    const restore = await cliIn(restored, 'restore', '--from', target(), '--json');
    expect(restore.code, restore.stderr).toBe(0);
    expect(taken).toContain(JSON.parse(restore.stdout).id);
    const strip = (text: string) => JSON.parse(text, (key, value) => (key === 'tookMs' ? undefined : value));
    const live = await cliIn(data(), 'search', 'runWorker', '--json');
    const back = await cliIn(restored, 'search', 'runWorker', '--json');
    expect(back.code, back.stderr).toBe(0);
    expect(strip(back.stdout)).toEqual(strip(live.stdout));
  });

  it('GITLORE_BACKUP_KEEP prunes the target after each scheduled backup, as `backup --keep`', async () => {
    const kept = join(root, 'kept-backups');
    const env = { GITLORE_DATA_DIR: data(), GITLORE_EMBEDDINGS: 'none', GITLORE_BACKUP_URL: kept, GITLORE_BACKUP_KEEP: '2' };
    const keepServices = await createServices(loadConfig({ cwd: root, env }), { log: silentLogger, embedder: null });
    const manifestOf = (id: string) =>
      JSON.parse(readFileSync(join(kept, 'backups', `${id}.json`), 'utf8')) as { items: { kind: string; key: string }[] };
    const taken: { id: string; database: string }[] = [];
    const server = await startServer({
      app: keepServices,
      version: '9.9.9',
      host: '127.0.0.1',
      port: 0,
      jobs: null,
      background: false,
      backups: {
        intervalMs: 20,
        retryBaseMs: 10,
        // Read at once: the manifest of the backup just taken is always kept.
        onBackup: (id) => taken.push({ id, database: manifestOf(id).items.find((i) => i.kind === 'database')?.key ?? '' }),
      },
    });
    try {
      // A write after the first backup gives the later ones a new database object, so pruning has an object to delete.
      await vi.waitFor(() => expect(taken.length).toBeGreaterThanOrEqual(1), { timeout: 20_000 });
      expect(await keepServices.store.artifacts.put('backup-keep-test', Buffer.from('changed'), null)).toBe(1);
      const afterWrite = taken.length;
      await vi.waitFor(() => expect(taken.length).toBeGreaterThanOrEqual(afterWrite + 3), { timeout: 20_000 });
    } finally {
      await server.close();
      await keepServices.close();
    }
    const manifests = readdirSync(join(kept, 'backups')).sort();
    expect(manifests).toEqual(taken.slice(-2).map((t) => `${t.id}.json`));
    const referenced = new Set(manifests.flatMap((m) => manifestOf(m.slice(0, -'.json'.length)).items.map((i) => i.key)));
    expect(
      readdirSync(join(kept, 'objects'))
        .map((o) => `objects/${o}`)
        .sort(),
    ).toEqual([...referenced].sort());
    // The first backup's database (before the write) is named by no kept manifest: pruned with it.
    const first = taken[0]?.database ?? '';
    expect(first).not.toBe(taken.at(-1)?.database);
    expect(existsSync(join(kept, first))).toBe(false);
    const restore = await cliIn(join(root, 'restored-kept'), 'restore', '--from', kept, '--json');
    expect(restore.code, restore.stderr).toBe(0);
    expect(JSON.parse(restore.stdout).id).toBe(taken.at(-1)?.id);
  });
});
