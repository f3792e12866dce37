import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { App } from '../../src/core/app.js';
import { createContext } from '../../src/core/context.js';
import { commitTimeline } from '../../src/core/history.js';
import { createServices } from '../../src/core/services.js';
import { ingestHistory } from '../../src/history/index.js';
import { silentLogger } from '../../src/shared/logger.js';
import type { RepoRecord } from '../../src/store/index.js';
import { buildHistoryRepo, commitAs, type HistoryFixture } from '../fixtures/historyRepo.js';
import { BACKENDS, openBackendStore } from '../helpers/backends.js';
import { git, gitEnv, tempDir } from '../helpers/git.js';

let root: string;
let fx: HistoryFixture;
let app: App;
let repo: RepoRecord;
const deps = () => ({ store: app.store, log: silentLogger });
const gitHashes = (args: string[] = []) =>
  git(fx.dir, ['log', '--format=%H', ...args])
    .split('\n')
    .filter(Boolean);
const stored = async () =>
  (await commitTimeline({ repo: 'demo', merges: true, limit: 10_000 }, createContext(app))).commits.map((c) => c.hash);

// The fixture is built once and copied for each test (each test rewrites history).
let template: HistoryFixture;
let templateRoot: string;
beforeAll(() => {
  templateRoot = tempDir('gitlore-history-template-');
  template = buildHistoryRepo(join(templateRoot, 'demo'));
});
afterAll(() => rmSync(templateRoot, { recursive: true, force: true }));

describe.each(BACKENDS)('history ingest on %s', (backend) => {
  let closeStore: () => Promise<void>;

  beforeEach(async () => {
    root = tempDir('gitlore-history-ingest-');
    // cp, not fs.cpSync: the fixture has a file name that is not valid UTF-8.
    execFileSync('cp', ['-a', template.dir, join(root, 'demo')]);
    fx = { dir: join(root, 'demo'), commits: template.commits };
    const config = loadConfig({ flags: { dataDir: join(root, 'data') }, env: {}, cwd: root });
    const { store, close } = await openBackendStore(backend, { dbPath: config.dbPath, reposPath: config.reposPath });
    closeStore = close;
    repo = await store.repos.upsert({
      name: 'demo',
      sourceType: 'local',
      sourceKey: 'manual',
      fullName: 'demo',
      cloneUrl: fx.dir,
      localPath: fx.dir,
    });
    app = await createServices(config, { store, log: silentLogger });
  });

  afterEach(async () => {
    await closeStore?.();
    rmSync(root, { recursive: true, force: true });
  });

  describe('ingestHistory', () => {
    it('ingests everything once, then only new commits', async () => {
      const first = await ingestHistory(deps(), repo);
      expect(first.added).toBe(gitHashes().length);
      expect(first.removed).toBe(0);
      expect(await ingestHistory(deps(), repo)).toMatchObject({ added: 0, removed: 0 });

      const a = commitAs(fx.dir, 'bob', '2023-07-01T10:00:00-07:00', 'More cache work', { 'src/cache.js': 'x\n' });
      const b = commitAs(fx.dir, 'chen', '2023-07-02T10:00:00+05:30', 'Even more', { 'src/new.js': 'y\n' });
      expect(await ingestHistory(deps(), repo)).toMatchObject({ added: 2, removed: 0 });
      expect(await stored()).toEqual(gitHashes());
      expect((await stored()).slice(0, 2)).toEqual([b, a]);
    });

    it('handles a force-push between two ingests: drops rewritten commits, adds new ones, no duplicates', async () => {
      await ingestHistory(deps(), repo);
      const before = gitHashes();
      // Rewrite the last three commits (as `git push --force` after a rebase would leave the clone).
      git(fx.dir, ['reset', '-q', '--hard', 'HEAD~3']);
      const n1 = commitAs(fx.dir, 'alice', '2023-06-05T10:00:00+02:00', 'Rewritten: release notes', { 'NOTES.md': 'notes\n' });
      const n2 = commitAs(fx.dir, 'bob', '2023-06-06T10:00:00-07:00', 'Rewritten: cache sizes', { 'src/cache.js': 'z\n' });
      const result = await ingestHistory(deps(), repo);
      expect(result).toMatchObject({ added: 2, removed: 3 });
      const after = await stored();
      expect(after).toEqual(gitHashes());
      expect(new Set(after).size).toBe(after.length);
      expect(after).toContain(n1);
      expect(after).toContain(n2);
      for (const gone of before.slice(0, 3)) expect(after).not.toContain(gone);
      // Path queries see the new history only.
      const cache = await commitTimeline({ repo: 'demo', path: 'src/cache.js', limit: 100 }, createContext(app));
      expect(cache.commits.map((c) => c.hash)).toEqual(gitHashes(['--no-merges', '--full-history', '--', 'src/cache.js']));
    });

    it('re-ingests when the .mailmap changes, so names stay consistent', async () => {
      await ingestHistory(deps(), repo);
      writeFileSync(
        join(fx.dir, '.mailmap'),
        'Alice Anders <alice@example.com> alice <alice@old.example.com>\nRobert Brown <bob@example.com> Bob Brown <bob@example.com>\n',
      );
      git(fx.dir, ['add', '.mailmap']);
      git(fx.dir, ['commit', '-q', '-m', 'Map Bob'], gitEnv('2023-07-01T10:00:00+00:00', 'Alice Anders', 'alice@example.com'));
      const result = await ingestHistory(deps(), repo);
      expect(result.removed).toBeGreaterThan(0);
      const bob = await commitTimeline({ repo: 'demo', author: 'bob@example.com', limit: 100 }, createContext(app));
      expect(new Set(bob.commits.map((c) => c.author))).toEqual(new Set(['Robert Brown']));
      expect(bob.total).toBe(gitHashes(['--no-merges', '--author=bob@example.com']).length);
    });

    it('keeps the message index in step with rewrites (grep after a force-push)', async () => {
      await ingestHistory(deps(), repo);
      expect((await commitTimeline({ repo: 'demo', grep: 'tune sizes' }, createContext(app))).total).toBe(1);
      git(fx.dir, ['reset', '-q', '--hard', 'HEAD~1']);
      commitAs(fx.dir, 'alice', '2023-06-05T10:00:00+02:00', 'Retune sizes differently', { 'src/cache.js': 'q\n' });
      await ingestHistory(deps(), repo);
      expect((await commitTimeline({ repo: 'demo', grep: 'tune sizes' }, createContext(app))).total).toBe(0);
      expect((await commitTimeline({ repo: 'demo', grep: 'retune' }, createContext(app))).total).toBe(1);
    });

    it('ingests on demand from a query when nothing was ingested yet, and errors clearly without a clone', async () => {
      const t = await commitTimeline({ repo: 'demo', limit: 1 }, createContext(app));
      expect(t.total).toBe(gitHashes(['--no-merges']).length);
      const missing = await app.store.repos.upsert({
        name: 'ghost',
        sourceType: 'local',
        sourceKey: 'manual',
        fullName: 'ghost',
        cloneUrl: '/nope',
        localPath: join(root, 'nope'),
      });
      await expect(commitTimeline({ repo: missing.name }, createContext(app))).rejects.toMatchObject({ code: 'NOT_SYNCED' });
      await expect(commitTimeline({ repo: 'demo', since: 'yesterday-ish' }, createContext(app))).rejects.toMatchObject({
        code: 'QUERY_INVALID',
      });
      await expect(commitTimeline({ repo: 'demo', path: '../etc/passwd' }, createContext(app))).rejects.toMatchObject({
        code: 'PATH_INVALID',
      });
    });

    it('stores nothing for an empty repository and deletes everything with the repo', async () => {
      const emptyDir = join(root, 'empty');
      git(root, ['init', '-q', '-b', 'main', emptyDir]);
      const empty = await app.store.repos.upsert({
        name: 'empty',
        sourceType: 'local',
        sourceKey: 'manual',
        fullName: 'empty',
        cloneUrl: emptyDir,
        localPath: emptyDir,
      });
      expect(await ingestHistory(deps(), empty)).toMatchObject({ added: 0, removed: 0 });
      expect((await commitTimeline({ repo: 'empty' }, createContext(app))).total).toBe(0);
      await ingestHistory(deps(), repo);
      await app.store.repos.remove(repo.id);
      expect(await app.store.history.listHashes(repo.id)).toEqual([]);
    });

    it('ingests a blob-less partial clone without fetching anything, keeping pure renames; the diff index then fetches the blobs it reads', async () => {
      const bare = join(root, 'bare.git');
      git(root, ['clone', '-q', '--bare', fx.dir, bare]);
      git(bare, ['config', 'uploadpack.allowFilter', 'true']);
      const partial = join(root, 'partial');
      git(root, ['clone', '-q', '--filter=blob:none', `file://${bare}`, partial]);
      const objects = () => git(partial, ['count-objects', '-v']);
      const before = objects();
      const record = await app.store.repos.upsert({
        name: 'partial',
        sourceType: 'git',
        sourceKey: 'git',
        fullName: 'partial',
        cloneUrl: bare,
        localPath: partial,
      });
      const result = await ingestHistory(deps(), record, { diffs: false });
      expect(result.added).toBe(gitHashes().length);
      expect(objects()).toBe(before);
      // Diffs need the file contents: the diff index is the one step that fetches them, and then covers every commit.
      const withDiffs = await ingestHistory(deps(), record);
      expect(withDiffs.diffs?.commits).toBe(gitHashes(['--no-merges']).length);
      expect(objects()).not.toBe(before);
      const moved = await commitTimeline(
        { repo: 'partial', path: 'src/config/parser.js', files: true, order: 'oldest', limit: 1 },
        createContext(app),
      );
      expect(moved.commits[0]?.files).toEqual([{ status: 'R', path: 'src/config/parser.js', oldPath: 'src/parser.js' }]);
    });

    it('stops on an aborted signal', async () => {
      const controller = new AbortController();
      controller.abort();
      await expect(ingestHistory(deps(), repo, { signal: controller.signal })).rejects.toThrow();
    });
  });
});
