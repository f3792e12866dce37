import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { App } from '../../src/core/app.js';
import { createContext } from '../../src/core/context.js';
import { commitActivity, commitTimeline, firstCommits, getCommitDetail, getContributors } from '../../src/core/history.js';
import { createServices } from '../../src/core/services.js';
import { getCommitTool } from '../../src/core/tools/getCommit.js';
import { getCommitTimelineTool } from '../../src/core/tools/getCommitTimeline.js';
import { getContributorsTool } from '../../src/core/tools/getContributors.js';
import { silentLogger } from '../../src/shared/logger.js';
import { buildHistoryRepo, type HistoryFixture } from '../fixtures/historyRepo.js';
import { BACKENDS, openBackendStore } from '../helpers/backends.js';
import { git, tempDir } from '../helpers/git.js';

/** Every answer is compared with what `git log` prints for the same question on the same repo. */
let root: string;
let fx: HistoryFixture;
let app: App;
const repo = 'demo';

const gitLines = (args: string[]) => git(fx.dir, args).split('\n').filter(Boolean);
const hashes = (r: { commits: { hash: string }[] }) => r.commits.map((c) => c.hash);
const all = { repo, limit: 10_000 };

describe.each(BACKENDS)('history queries on %s', (backend) => {
  let closeStore: () => Promise<void>;

  beforeAll(async () => {
    root = tempDir('gitlore-history-q-');
    fx = buildHistoryRepo(join(root, 'demo'));
    const config = loadConfig({ flags: { dataDir: join(root, 'data') }, env: {}, cwd: root });
    const { store, close } = await openBackendStore(backend, { dbPath: config.dbPath, reposPath: config.reposPath });
    closeStore = close;
    await store.repos.upsert({
      name: repo,
      sourceType: 'local',
      sourceKey: 'manual',
      fullName: 'acme/demo',
      cloneUrl: fx.dir,
      localPath: fx.dir,
      htmlUrl: 'https://github.com/acme/demo',
    });
    app = await createServices(config, { store, log: silentLogger });
  });

  afterAll(async () => {
    await closeStore?.();
    rmSync(root, { recursive: true, force: true });
  });

  describe('timeline vs git log', () => {
    it('lists non-merge commits in git log order, merges on request, oldest first reversed', async () => {
      expect(hashes(await commitTimeline(all, createContext(app)))).toEqual(gitLines(['log', '--no-merges', '--format=%H']));
      expect(hashes(await commitTimeline({ ...all, merges: true }, createContext(app)))).toEqual(gitLines(['log', '--format=%H']));
      expect(hashes(await commitTimeline({ ...all, order: 'oldest' }, createContext(app)))).toEqual(
        gitLines(['log', '--no-merges', '--reverse', '--format=%H']),
      );
    });

    it('prints dates with the author offset, and mailmapped names and emails', async () => {
      // git prints the Latin-1 name as raw bytes (checked separately below); compare the rest verbatim.
      const ours = (await commitTimeline({ ...all, merges: true }, createContext(app))).commits
        .filter((c) => c.hash !== fx.commits.latin1Author)
        .map((c) => `${c.hash} ${c.date} ${c.author} <${c.email}>`);
      const want = gitLines(['log', '--use-mailmap', '--format=%H %aI %aN <%aE>']).filter(
        (l) => !l.startsWith(fx.commits.latin1Author as string),
      );
      expect(ours).toEqual(want);
      const old = (await commitTimeline(all, createContext(app))).commits.find((c) => c.hash === fx.commits.oldAlice);
      expect(old?.author).toBe('Alice Anders');
      expect(old?.date).toBe('2023-01-31T23:30:00-08:00');
    });

    it('decodes a Latin-1 author name and an ISO-8859-1 message', async () => {
      const commits = (await commitTimeline(all, createContext(app))).commits;
      expect(commits.find((c) => c.hash === fx.commits.latin1Author)?.author).toBe('José Núñez');
      expect(commits.find((c) => c.hash === fx.commits.latin1Message)?.subject).toBe('Résumé of the café changes');
      expect(git(fx.dir, ['log', '-1', '--encoding=UTF-8', '--format=%s', fx.commits.latin1Message])).toBe('Résumé of the café changes');
    });

    it('filters by every path ever touched exactly like git log -- path, and --full-history on request', async () => {
      // git prints the Latin-1 file name as invalid UTF-8; it has its own test below.
      const paths = [...new Set(gitLines(['log', '--format=', '--name-only', '--no-renames']))].filter((p) => !p.includes('\uFFFD'));
      expect(paths.length).toBeGreaterThan(8);
      for (const path of [...paths, 'src', 'src/config', 'docs']) {
        const want = gitLines(['log', '--no-merges', '--format=%H', '--', path]);
        const got = await commitTimeline({ ...all, path }, createContext(app));
        expect({ path, hashes: hashes(got) }).toEqual({ path, hashes: want });
        expect(got.total).toBe(want.length);
        const full = await commitTimeline({ ...all, path, fullHistory: true }, createContext(app));
        expect({ path, full: hashes(full) }).toEqual({
          path,
          full: gitLines(['log', '--no-merges', '--full-history', '--format=%H', '--', path]),
        });
      }
    });

    it('finds a file whose name is Latin-1 bytes under its decoded name, with line counts', async () => {
      const got = await commitTimeline({ ...all, path: 'docs/café.txt', files: true }, createContext(app));
      expect(hashes(got)).toEqual([fx.commits.latin1Path]);
      const detail = await getCommitDetail({ repo: repo, hash: fx.commits.latin1Path as string }, createContext(app));
      expect(detail.files).toEqual([{ path: 'docs/café.txt', status: 'A', added: 1, removed: 0 }]);
    });

    it('follows a renamed file like git log --follow', async () => {
      const want = gitLines(['log', '--no-merges', '--follow', '--format=%H', '--', 'src/config/parser.js']);
      const got = await commitTimeline({ ...all, path: 'src/config/parser.js', follow: true }, createContext(app));
      expect(hashes(got)).toEqual(want);
      expect(want).toContain(fx.commits.bob1);
      const plain = await commitTimeline({ ...all, path: 'src/config/parser.js' }, createContext(app));
      expect(hashes(plain)).not.toContain(fx.commits.bob1);
    });

    it('filters by author like git log -i --author', async () => {
      for (const author of ['bob', 'CHEN', 'example.com', 'Alice Anders']) {
        const want = gitLines(['log', '--use-mailmap', '--no-merges', '-i', `--author=${author}`, '--format=%H']);
        expect({ author, h: hashes(await commitTimeline({ ...all, author }, createContext(app))) }).toEqual({ author, h: want });
      }
    });

    it('filters by date instants like git log --since/--until (committer = author dates here)', async () => {
      const since = '2023-02-01T00:00:00+00:00';
      const until = '2023-04-02T08:00:00Z';
      const want = gitLines(['log', '--no-merges', `--since=${since}`, `--until=${until}`, '--format=%H']);
      expect(want.length).toBeGreaterThan(3);
      expect(hashes(await commitTimeline({ ...all, since, until }, createContext(app)))).toEqual(want);
    });

    it('treats a calendar month as the author-local month', async () => {
      const want = gitLines(['log', '--no-merges', '--date=format:%Y-%m', '--format=%H %ad'])
        .filter((l) => l.endsWith(' 2023-01'))
        .map((l) => l.split(' ')[0]);
      const got = hashes(await commitTimeline({ ...all, since: '2023-01', until: '2023-01' }, createContext(app)));
      expect(got).toEqual(want);
      expect(got).toContain(fx.commits.oldAlice); // 2023-02-01 in UTC, January where it was written
    });

    it('greps message words like git log -i --all-match', async () => {
      for (const words of [['cache'], ['parser', 'comments'], ['marker'], ['Cache', 'SIZES']]) {
        const want = gitLines([
          'log',
          '--no-merges',
          '-i',
          '--all-match',
          '--encoding=UTF-8',
          ...words.map((w) => `--grep=\\b${w}\\b`),
          '--format=%H',
        ]);
        expect({ words, h: hashes(await commitTimeline({ ...all, grep: words.join(' ') }, createContext(app))) }).toEqual({
          words,
          h: want,
        });
      }
    });

    it('pages with limit/offset while total counts every match', async () => {
      const want = gitLines(['log', '--no-merges', '--format=%H']);
      const page = await commitTimeline({ repo, limit: 3, offset: 2 }, createContext(app));
      expect(page.total).toBe(want.length);
      expect(hashes(page)).toEqual(want.slice(2, 5));
    });

    it('includes empty commits with no files', async () => {
      const got = await commitTimeline({ ...all, files: true }, createContext(app));
      const empty = got.commits.find((c) => c.hash === fx.commits.empty1);
      expect(empty?.files).toEqual([]);
      const rename = got.commits.find((c) => c.hash === fx.commits.rename);
      expect(rename?.files).toEqual([{ status: 'R', path: 'src/config/parser.js', oldPath: 'src/parser.js' }]);
    });

    it('lists the root commits by author date like git rev-list --max-parents=0', async () => {
      const roots = await firstCommits({ repo: repo }, createContext(app));
      const want = gitLines(['log', '--max-parents=0', '--format=%at %H'])
        .sort()
        .map((l) => l.split(' ')[1]);
      expect(roots.map((c) => c.hash)).toEqual(want);
      expect(roots[0]?.hash).toBe(fx.commits.siteRoot);
      const viaTool = await getCommitTimelineTool.execute({ repo, roots: true, order: 'oldest' }, createContext(app));
      expect(viaTool.total).toBe(2);
    });
  });

  describe('commit detail vs git show', () => {
    it('matches name-status and numstat for every commit, merges against the first parent', async () => {
      for (const hash of gitLines(['log', '--format=%H']).filter((h) => h !== fx.commits.latin1Path)) {
        const detail = await getCommitDetail({ repo: repo, hash: hash.slice(0, 8) }, createContext(app));
        const merge = detail.parents.length > 1 ? ['--diff-merges=first-parent'] : [];
        const numstat = gitLines(['show', '--numstat', '--format=', ...merge, hash]).map((l) => {
          const [a, r, ...rest] = l.split('\t');
          return `${a === '-' ? 'null' : a} ${r === '-' ? 'null' : r} ${rest
            .join('\t')
            .replace(/^(.*)\{(.*) => (.*)\}(.*)$/, '$1$3$4')
            .replace(/^.* => /, '')}`;
        });
        const ours = detail.files.map((f) => `${f.added} ${f.removed} ${f.path}`);
        expect({ hash, files: ours.sort() }).toEqual({ hash, files: numstat.sort() });
        const status = gitLines(['show', '--name-status', '--format=', ...merge, hash]).map((l) => {
          const parts = l.split('\t');
          return `${parts[0]?.[0]} ${parts.at(-1)}`;
        });
        expect({ hash, s: detail.files.map((f) => `${f.status} ${f.path}`).sort() }).toEqual({ hash, s: status.sort() });
        expect(detail.message).toBe(git(fx.dir, ['log', '-1', '--encoding=UTF-8', '--format=%B', hash]).trimEnd());
        expect(detail.date).toBe(git(fx.dir, ['log', '-1', '--format=%aI', hash]));
        expect(detail.committerDate).toBe(git(fx.dir, ['log', '-1', '--format=%cI', hash]));
      }
    });

    it('reports binary files with null counts and a GitHub url', async () => {
      const d = await getCommitTool.execute({ repo, hash: fx.commits.binary }, createContext(app));
      expect(d.files.find((f) => f.path === 'logo.bin')).toMatchObject({ status: 'A', added: null, removed: null });
      expect(d.url).toBe(`https://github.com/acme/demo/commit/${fx.commits.binary}`);
      expect(getCommitTool.toText(d)).toContain('logo.bin');
    });

    it('rejects unknown, malformed and ambiguous hashes with clear errors', async () => {
      await expect(getCommitDetail({ repo: repo, hash: 'deadbeefdeadbeef' }, createContext(app))).rejects.toMatchObject({
        code: 'COMMIT_NOT_FOUND',
      });
      await expect(getCommitDetail({ repo: repo, hash: 'xyz!' }, createContext(app))).rejects.toMatchObject({ code: 'QUERY_INVALID' });
      await expect(getCommitDetail({ repo: 'nope', hash: fx.commits.init }, createContext(app))).rejects.toMatchObject({
        code: 'REPO_NOT_FOUND',
      });
    });
  });

  describe('contributors and activity', () => {
    it('ranks non-merge authors per path like git shortlog -sne --no-merges', async () => {
      for (const path of [undefined, 'src', 'src/util.js', 'src/config']) {
        const out = await getContributors({ repo, path }, createContext(app));
        const want = gitLines(['shortlog', '-sn', '--no-merges', 'HEAD', ...(path ? ['--', path] : [])]).map((l) => {
          const [n, ...name] = l.trim().split(/\s+/);
          return `${name.join(' ')}:${n}`;
        });
        // git leaves the Latin-1 name as raw bytes; gitlore decodes it (José Núñez).
        const fixed = want.map((l) => (l.includes('\uFFFD') ? l.replace(/^.*:/, 'José Núñez:') : l));
        expect({ path, c: out.contributors.map((c) => `${c.name}:${c.commits}`).sort() }).toEqual({ path, c: fixed.sort() });
      }
      const text = getContributorsTool.toText(await getContributorsTool.execute({ repo, path: 'src' }, createContext(app)));
      expect(text).toContain('Alice Anders');
    });

    it('counts non-merge commits per week, filling empty weeks', async () => {
      const { weeks } = await commitActivity({ repo }, createContext(app));
      expect(weeks.reduce((n, w) => n + w.commits, 0)).toBe(gitLines(['log', '--no-merges', '--format=%H']).length);
      expect(weeks.every((w) => new Date(`${w.week}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
      expect(weeks.some((w) => w.commits === 0)).toBe(true);
    });
  });

  describe('tool definitions', () => {
    it('declare zod input/output shapes that accept what execute returns', async () => {
      const { z } = await import('zod');
      const out = await getCommitTimelineTool.execute({ repo, path: 'src/cache.js', files: true }, createContext(app));
      expect(() => z.object(getCommitTimelineTool.outputSchema).parse(out)).not.toThrow();
      expect(getCommitTimelineTool.toText(out)).toContain('Feature: add cache layer');
      const detail = await getCommitTool.execute({ repo, hash: fx.commits.rename }, createContext(app));
      expect(() => z.object(getCommitTool.outputSchema).parse(detail)).not.toThrow();
      const contributors = await getContributorsTool.execute({ repo }, createContext(app));
      expect(() => z.object(getContributorsTool.outputSchema).parse(contributors)).not.toThrow();
      expect(z.object(getCommitTimelineTool.inputSchema).safeParse({ repo, order: 'sideways' }).success).toBe(false);
    });
  });
});
