import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createBackupSchedule } from '../../src/core/backup/index.js';
import { createServices, type Services } from '../../src/core/services.js';
import type { PeriodicTask } from '../../src/jobs/periodicTask.js';
import { silentLogger } from '../../src/shared/logger.js';
import { createTestDatabase } from '../helpers/backends.js';
import { runCli } from '../helpers/cli.js';
import { makeRepo, tempDir } from '../helpers/git.js';

/** Several `serve` processes on one PostgreSQL database: the scheduled backup runs once per interval between them. */
const PG_BIN = process.env.GITLORE_PG_BIN ?? '/usr/lib/postgresql/15/bin';
let root: string;
let database: { url: string; drop: () => Promise<void> };
const servers: Services[] = [];
const target = () => join(root, 'backups');

beforeAll(async () => {
  root = tempDir('gitlore-backup-turns-');
  database = await createTestDatabase();
  makeRepo(join(root, 'billing'), { 'src/invoice.ts': 'export function invoiceTotal(lines: number[]) {\n  return lines.length;\n}\n' });
  const env = {
    GITLORE_DATA_DIR: join(root, 'data'),
    GITLORE_EMBEDDINGS: 'none',
    DATABASE_URL: database.url,
    GITLORE_PG_BIN: PG_BIN,
    GITLORE_BACKUP_URL: target(),
  };
  expect((await runCli(['repo', 'add', join(root, 'billing')], { env, cwd: root })).code).toBe(0);
  expect((await runCli(['sync'], { env, cwd: root })).code).toBe(0);
  // Two processes' services on the one database (each with its own pool, as two `serve` would have).
  for (let i = 0; i < 2; i++) servers.push(await createServices(loadConfig({ cwd: root, env }), { log: silentLogger, embedder: null }));
});

afterAll(async () => {
  for (const services of servers) await services.close();
  await database?.drop();
});

describe('scheduled backups of serve processes sharing one PostgreSQL database', () => {
  it('two schedulers ticking at the same moment take one backup between them, and neither takes another within the interval', async () => {
    const backups: string[] = [];
    const skips: string[] = [];
    const ticks = [0, 0];
    const tasks: PeriodicTask[] = servers.map((app, i) => {
      const task = createBackupSchedule(app, {
        version: '9.9.9',
        // Both fire at once; the interval is long enough that no second turn comes during the test.
        firstRunMs: 0,
        intervalMs: 600_000,
        retryBaseMs: 600_000,
        onBackup: (id) => {
          ticks[i] += 1;
          backups.push(id);
        },
        onSkip: (reason) => {
          ticks[i] += 1;
          skips.push(reason);
        },
      });
      if (!task) throw new Error('GITLORE_BACKUP_URL is set: there must be a schedule');
      return task;
    });
    try {
      for (const task of tasks) task.start();
      await vi.waitFor(() => expect(ticks).toEqual([1, 1]), { timeout: 30_000 });
    } finally {
      await Promise.all(tasks.map((task) => task.stop()));
    }
    expect(backups).toHaveLength(1);
    expect(skips).toHaveLength(1);
    expect(readdirSync(join(target(), 'backups'))).toEqual([`${backups[0]}.json`]);

    // A third process starting later in the same interval sees the turn done, not running.
    const late = createBackupSchedule(servers[0], {
      version: '9.9.9',
      firstRunMs: 0,
      intervalMs: 600_000,
      onBackup: (id) => backups.push(id),
      onSkip: (reason) => skips.push(reason),
    });
    late?.start();
    await vi.waitFor(() => expect(skips).toHaveLength(2));
    await late?.stop();
    expect(skips[1]).toBe('done recently');
    expect(backups).toHaveLength(1);
  });
});
