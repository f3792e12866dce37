import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackupTarget } from '../../src/core/backup/index.js';
import { runCli } from '../helpers/cli.js';
import { commitFiles, makeRepo, tempDir } from '../helpers/git.js';
import { type LocalS3, startLocalS3 } from '../helpers/s3rver.js';

/** `gitlore backup --to s3://…` / `restore --from s3://…` against s3rver on loopback, through the real AWS SDK. */
const BUCKET = 'gitlore-backups';
let root: string;
let s3: LocalS3;
let endpoint: string;
const envFor = (data: string) => ({
  GITLORE_DATA_DIR: data,
  GITLORE_EMBEDDINGS: 'none',
  AWS_ENDPOINT_URL_S3: endpoint,
  AWS_REGION: 'us-east-1',
});
const cliIn = (data: string, ...args: string[]) => runCli(args, { env: envFor(data), cwd: root });
const cli = (...args: string[]) => cliIn(join(root, 'data'), ...args);

async function answers(data: string): Promise<unknown> {
  const strip = (text: string) => JSON.parse(text, (key, value) => (key === 'tookMs' ? undefined : value));
  const search = await cliIn(data, 'search', 'retry', 'delay', '--json');
  expect(search.code, search.stderr).toBe(0);
  const log = await cliIn(data, 'log', '--repo', 'svc', '--json');
  expect(log.code, log.stderr).toBe(0);
  return { search: strip(search.stdout), log: strip(log.stdout) };
}

beforeAll(async () => {
  root = tempDir('gitlore-backup-s3-');
  s3 = await startLocalS3(root, BUCKET);
  endpoint = s3.endpoint;
  makeRepo(join(root, 'svc'), {
    'src/retry.ts': 'export function retryDelay(attempt: number): number {\n  return Math.min(1000 * 2 ** attempt, 30000);\n}\n',
  });
  commitFiles(join(root, 'svc'), { 'README.md': '# svc\n\nRetries with a growing delay.\n' }, 'docs');
  makeRepo(join(root, 'lib'), { 'index.js': 'module.exports = function add(a, b) { return a + b; };\n' });
  for (const repo of ['svc', 'lib']) expect((await cli('repo', 'add', join(root, repo))).code).toBe(0);
  expect((await cli('sync')).code).toBe(0);
  expect((await cli('index')).code).toBe(0);
});

afterAll(async () => {
  await s3?.close();
});

describe('gitlore backup and restore (S3)', () => {
  it('round-trips through s3rver, reuses unchanged bundles, and lists exactly the keys it wrote', async () => {
    const url = `s3://${BUCKET}/team/gitlore`;
    const first = await cli('backup', '--to', url, '--json');
    expect(first.code, first.stderr).toBe(0);
    const report1 = JSON.parse(first.stdout);
    expect(report1.target).toBe(url);
    const second = JSON.parse((await cli('backup', '--to', url, '--json')).stdout);
    expect(second.items.filter((i: { kind: string; reused: boolean }) => i.kind === 'clone' && i.reused)).toHaveLength(2);

    // Our own listing (s3rver's has dropped keys under other clients): every object and manifest written is there.
    const target = await openBackupTarget(url, { s3: { endpoint, region: 'us-east-1' } });
    const objects = (await target.list('objects/')).sort();
    const expected = [...new Set([...report1.items, ...second.items].map((i: { sha256: string }) => `objects/${i.sha256}`))].sort();
    expect(objects).toEqual(expected);
    expect((await target.list('backups/')).sort()).toEqual([`backups/${report1.id}.json`, `backups/${second.id}.json`].sort());

    const restored = join(root, 'restored');
    const restore = await cliIn(restored, 'restore', '--from', url, '--json');
    expect(restore.code, restore.stderr).toBe(0);
    expect(JSON.parse(restore.stdout)).toMatchObject({ id: second.id, clones: 2, reindex: [], resync: [] });
    expect(await answers(restored)).toEqual(await answers(join(root, 'data')));

    // --keep 1 on S3: the older manifest goes, and only the objects the newest one names stay.
    const kept = JSON.parse((await cli('backup', '--to', url, '--keep', '1', '--json')).stdout);
    expect((await target.list('backups/')).sort()).toEqual([`backups/${kept.id}.json`]);
    expect((await target.list('objects/')).sort()).toEqual(
      [...new Set(kept.items.map((i: { sha256: string }) => `objects/${i.sha256}`))].sort(),
    );
  });

  it('refuses a prefix that holds no backup with a clear error, and creates no data dir', async () => {
    const dest = join(root, 'never');
    const out = await cliIn(dest, 'restore', '--from', `s3://${BUCKET}/nothing-here`);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/no complete backup \(no manifest\) in s3:\/\/gitlore-backups\/nothing-here/);
  });
});
