import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIFF_FORMAT_VERSION, DIFF_LIMITS, ingestHistory } from '../../src/history/index.js';
import { createLogger } from '../../src/shared/logger.js';
import type { DiffSearchQuery, Store } from '../../src/store/index.js';
import { BACKENDS, useBackendStores } from '../helpers/backends.js';
import { commitFiles, git, gitEnv, makeRepo, tempDir } from '../helpers/git.js';
import { rng } from '../helpers/random.js';

/** Identifiers no one of which is a part (camelCase / snake_case piece) or substring of another. */
const VOCAB = ['retryPolicy', 'fetchUser', 'parse_config', 'MAX_RETRIES', 'renderWidget', 'openSocket', 'closeHandle', 'Backoff'];
const FILES = ['src/app.ts', 'src/net.ts', 'lib/util.py', 'README.md'];
const log = createLogger('test', { level: 'error' });

/**
 * A history of ~60 commits on main and a side branch merged back: each commit adds calls of random identifiers to
 * random files and removes random lines, sometimes moving a line (removed and added again, which `git log -S`
 * does not see and `-G` does); a vendored file and a lock file change along, which the index leaves out.
 */
function buildHistory(dir: string, commits: number, seed: number, start = 0): void {
  const random = rng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor((random() + 0.5) * list.length)] as T;
  const content = new Map<string, string[]>();
  for (const file of FILES) {
    try {
      content.set(file, git(dir, ['show', `HEAD:${file}`]).split('\n'));
    } catch {
      content.set(file, []);
    }
  }
  for (let n = start; n < start + commits; n++) {
    const changed: Record<string, string> = {};
    for (const file of [pick(FILES), pick(FILES)]) {
      const lines = content.get(file)!;
      const roll = random();
      if (roll < -0.2 && lines.length > 2) lines.splice(Math.floor((random() + 0.5) * lines.length), 1);
      else if (roll < 0 && lines.length > 3) {
        const [moved] = lines.splice(Math.floor((random() + 0.5) * lines.length), 1);
        lines.push(moved!);
      } else lines.push(`  call(${pick(VOCAB)}, ${n});`);
      changed[file] = `${lines.join('\n')}\n`;
    }
    changed['vendor/dep.js'] = `use(${pick(VOCAB)}, ${n});\n`;
    changed['package-lock.json'] = `{"v": "${pick(VOCAB)} ${n}"}\n`;
    const date = new Date(Date.UTC(2024, 0, 1) + n * 3_600_000).toISOString();
    commitFiles(dir, changed, `Change ${pick(VOCAB)} number ${n}`, gitEnv(date));
  }
}

function makeHistory(): string {
  const dir = join(tempDir('gitlore-diffs-'), 'repo');
  makeRepo(dir, { 'src/app.ts': 'start\n', 'src/net.ts': 'start\n' }, 'initial');
  buildHistory(dir, 30, 11, 1);
  git(dir, ['checkout', '-q', '-b', 'side', 'HEAD~10']);
  buildHistory(dir, 10, 12, 100);
  git(dir, ['checkout', '-q', 'main']);
  git(dir, ['merge', '-q', '--no-edit', '-X', 'theirs', 'side'], gitEnv('2024-03-01T00:00:00Z'));
  buildHistory(dir, 15, 13, 200);
  return dir;
}

/** Hashes of `git log` with these arguments, outside the paths the index leaves out. */
function gitHashes(dir: string, args: string[]): string[] {
  const out = git(dir, ['log', '--no-merges', '--format=%H', ...args, '--', '.', ':!vendor', ':!package-lock.json']);
  return out ? out.split('\n') : [];
}

/** Commits whose patch adds (`+`) or removes (`-`) a line holding `word`, read from `git log -p` itself. */
function gitSide(dir: string, word: string, side: '+' | '-'): string[] {
  const out = git(dir, ['log', '--no-merges', '-p', '-U0', '--format=%x1e%H', '--', '.', ':!vendor', ':!package-lock.json']);
  const found: string[] = [];
  for (const record of out.split('\x1e').slice(1)) {
    const [hash, ...lines] = record.split('\n');
    if (lines.some((l) => l.startsWith(side) && !l.startsWith(`${side}${side}${side} `) && l.includes(word))) found.push(hash!);
  }
  return found;
}

async function find(store: Store, repoId: number, query: Partial<DiffSearchQuery>): Promise<string[]> {
  const rows = await store.history.searchDiffs({ repoId, all: [], anyOf: [], none: [], order: 'newest', limit: 10_000, ...query });
  return rows.map((r) => r.commit.hash);
}

describe.each(BACKENDS)('the diff index on %s', (backend) => {
  const open = useBackendStores(backend);

  async function indexed() {
    const { store } = await open();
    const dir = makeHistory();
    const repo = await store.repos.upsert({ name: 'r', sourceType: 'local', sourceKey: 'k', fullName: 'r', cloneUrl: dir, localPath: dir });
    const result = await ingestHistory({ store, log }, repo);
    return { store, dir, repo, result };
  }

  it('finds the commits git log -G finds for each word (and every one -S finds), on each side as the patch shows it', async () => {
    const { store, dir, repo, result } = await indexed();
    const nonMerges = Number(git(dir, ['rev-list', '--count', '--no-merges', 'HEAD']));
    expect(result.diffs?.commits).toBe(nonMerges);
    expect(result.diffs?.skippedFiles).toBeGreaterThan(0); // the vendored file and the lock file
    for (const word of VOCAB) {
      const term = word.toLowerCase();
      const ours = await find(store, repo.id, { all: [{ term, side: 'any' }] });
      const byG = gitHashes(dir, ['-G', word]);
      expect(byG.length, word).toBeGreaterThan(0);
      // Same commits, newest first in git's order (seq).
      expect(ours, word).toEqual(byG);
      const byS = gitHashes(dir, ['-S', word]);
      expect(ours, word).toEqual(expect.arrayContaining(byS));
      expect(new Set(await find(store, repo.id, { all: [{ term, side: 'added' }] })), word).toEqual(new Set(gitSide(dir, word, '+')));
      expect(new Set(await find(store, repo.id, { all: [{ term, side: 'removed' }] })), word).toEqual(new Set(gitSide(dir, word, '-')));
      // "When did we start calling it": the oldest commit adding it is git's first.
      const oldest = await find(store, repo.id, { all: [{ term, side: 'added' }], order: 'oldest', limit: 1 });
      expect(oldest, word).toEqual(gitSide(dir, word, '+').slice(-1));
    }
    // Two words in one file change; a word excluded; either of two.
    const [a, b] = ['retrypolicy', 'fetchuser'];
    const both = await find(store, repo.id, {
      all: [
        { term: a, side: 'any' },
        { term: b, side: 'any' },
      ],
    });
    const onlyA = await find(store, repo.id, { all: [{ term: a, side: 'any' }], none: [b] });
    const either = await find(store, repo.id, {
      anyOf: [
        [
          { term: a, side: 'any' },
          { term: b, side: 'any' },
        ],
      ],
    });
    expect(new Set(either)).toEqual(new Set([...gitHashes(dir, ['-G', 'retryPolicy']), ...gitHashes(dir, ['-G', 'fetchUser'])]));
    for (const hash of both) expect(either).toContain(hash);
    for (const hash of onlyA) expect(gitHashes(dir, ['-G', 'retryPolicy'])).toContain(hash);
    // Nothing from the vendored file or the lock file, and the kept lines hold what matched.
    const rows = await store.history.searchDiffs({
      repoId: repo.id,
      all: [{ term: a, side: 'added' }],
      anyOf: [],
      none: [],
      order: 'newest',
      limit: 5,
    });
    for (const row of rows) {
      expect(row.files.map((f) => f.path)).not.toContain('vendor/dep.js');
      expect(row.files.flatMap((f) => f.lines).some((l) => l.kind === '+' && l.text.includes('retryPolicy'))).toBe(true);
    }
  });

  it('indexes only new commits on the next ingest, and backfills a history stored before the diff index', async () => {
    const { store, dir, repo } = await indexed();
    buildHistory(dir, 3, 21, 300);
    const next = await ingestHistory({ store, log }, repo);
    expect(next.added).toBe(3);
    expect(next.diffs?.commits).toBe(3);
    expect((await store.history.diffStats(repo.id, DIFF_FORMAT_VERSION)).pending).toBe(0);
    expect((await ingestHistory({ store, log }, repo)).diffs?.commits).toBe(0);
    // An install from before the diff index: commits stored, no diff entries. The next run fills them in.
    await store.history.writeDiffs(repo.id, DIFF_FORMAT_VERSION - 1, [{ hash: git(dir, ['rev-parse', 'HEAD']), skipped: null, files: [] }]);
    const stats = await store.history.diffStats(repo.id, DIFF_FORMAT_VERSION);
    expect(stats.pending).toBe(1);
    const backfill = await ingestHistory({ store, log }, repo);
    expect(backfill.added).toBe(0);
    expect(backfill.diffs?.commits).toBe(1);
    expect(await find(store, repo.id, { all: [{ term: 'number', side: 'any' }] })).toEqual([]);
  });

  it('finds a word that is the only part of an identifier (`_accept`, `__init__`), as git log -G finds it', async () => {
    const { store } = await open();
    const dir = join(tempDir('gitlore-diffs-'), 'repo');
    makeRepo(dir, { 'a.js': 'start\n' }, 'initial');
    commitFiles(dir, { 'a.js': 'start\nthis._accept = obj;\n' }, 'private field');
    commitFiles(dir, { 'a.py': 'def __init__(self):\n    pass\n' }, 'constructor');
    const repo = await store.repos.upsert({ name: 'r', sourceType: 'local', sourceKey: 'k', fullName: 'r', cloneUrl: dir, localPath: dir });
    await ingestHistory({ store, log }, repo);
    expect(await find(store, repo.id, { all: [{ term: 'accept', side: 'added' }] })).toEqual(gitHashes(dir, ['-G', '_accept']));
    expect(await find(store, repo.id, { all: [{ term: '_accept', side: 'added' }] })).toEqual(gitHashes(dir, ['-G', '_accept']));
    expect(await find(store, repo.id, { all: [{ term: 'init', side: 'any' }] })).toEqual(gitHashes(dir, ['-G', '__init__']));
  });

  it('leaves out a new file that says it is generated, not a later change to its first lines', async () => {
    const { store } = await open();
    const dir = join(tempDir('gitlore-diffs-'), 'repo');
    makeRepo(dir, { 'a.ts': 'start\n' }, 'initial');
    const header = '# This file is autogenerated by pip-compile\n';
    commitFiles(dir, { 'requirements.txt': `${header}anyio==4.8.0\n` }, 'generated');
    commitFiles(dir, { 'notes.txt': 'plain notes\n' }, 'notes');
    commitFiles(dir, { 'notes.txt': `${header}anyio==4.9.0\n` }, 'notes say generated');
    const repo = await store.repos.upsert({ name: 'r', sourceType: 'local', sourceKey: 'k', fullName: 'r', cloneUrl: dir, localPath: dir });
    await ingestHistory({ store, log }, repo);
    expect(await find(store, repo.id, { all: [{ term: 'anyio', side: 'added' }] })).toEqual([git(dir, ['rev-parse', 'HEAD'])]);
  });

  it('leaves out a commit git cannot read (an object missing from the clone) and indexes the rest', async () => {
    const { store } = await open();
    const dir = join(tempDir('gitlore-diffs-'), 'repo');
    makeRepo(dir, { 'a.ts': 'firstToken\n' }, 'initial');
    commitFiles(dir, { 'a.ts': 'firstToken\nlostToken\n' }, 'lost');
    commitFiles(dir, { 'a.ts': 'firstToken\nlostToken\nlastToken\n' }, 'last');
    commitFiles(dir, { 'b.ts': 'otherToken\n' }, 'other');
    // The blob only the second commit made (loose, as a fresh commit's objects are) goes missing.
    const blob = git(dir, ['rev-parse', 'HEAD~2:a.ts']);
    rmSync(join(dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
    const repo = await store.repos.upsert({ name: 'r', sourceType: 'local', sourceKey: 'k', fullName: 'r', cloneUrl: dir, localPath: dir });
    const result = await ingestHistory({ store, log }, repo);
    expect(result.added).toBe(4);
    // Both commits that diff against that blob are unreadable; the first and the last are indexed.
    expect(result.diffs).toMatchObject({ commits: 4, skippedCommits: 2 });
    expect(await find(store, repo.id, { all: [{ term: 'firsttoken', side: 'added' }] })).toEqual([git(dir, ['rev-parse', 'HEAD~3'])]);
    expect(await find(store, repo.id, { all: [{ term: 'othertoken', side: 'added' }] })).toEqual([git(dir, ['rev-parse', 'HEAD'])]);
    // Done: the next run has nothing left to diff.
    expect((await ingestHistory({ store, log }, repo)).diffs?.commits).toBe(0);
  });

  it('leaves out commits over the file limit, huge file changes and binary files, and deletes entries with their commits', async () => {
    const { store } = await open();
    const dir = join(tempDir('gitlore-diffs-'), 'repo');
    makeRepo(dir, { 'a.ts': 'start\n' }, 'initial');
    const many: Record<string, string> = {};
    for (let i = 0; i <= DIFF_LIMITS.maxCommitFiles; i++) many[`gen/f${i}.ts`] = 'bulkToken\n';
    commitFiles(dir, many, 'bulk import');
    commitFiles(dir, { 'big.ts': `${'hugeToken\n'.repeat(DIFF_LIMITS.maxFileChangedLines + 1)}` }, 'huge');
    writeFileSync(join(dir, 'blob.dat'), Buffer.from('binaryToken\0\u00ff'));
    // A NUL past git's binary probe (8,000 bytes): a text line PostgreSQL must still store.
    commitFiles(
      dir,
      { 'small.ts': 'smallToken()\n', 'logo.png': 'binaryToken', 'late.txt': `${'xx\n'.repeat(3000)}lateToken\0end\n` },
      'small',
    );
    const repo = await store.repos.upsert({ name: 'r', sourceType: 'local', sourceKey: 'k', fullName: 'r', cloneUrl: dir, localPath: dir });
    const result = await ingestHistory({ store, log }, repo);
    expect(result.diffs?.skippedCommits).toBe(1);
    expect(await find(store, repo.id, { all: [{ term: 'bulktoken', side: 'any' }] })).toEqual([]);
    expect(await find(store, repo.id, { all: [{ term: 'hugetoken', side: 'any' }] })).toEqual([]);
    expect(await find(store, repo.id, { all: [{ term: 'binarytoken', side: 'any' }] })).toEqual([]);
    expect(await find(store, repo.id, { all: [{ term: 'smalltoken', side: 'added' }] })).toHaveLength(1);
    const late = await store.history.searchDiffs({
      repoId: repo.id,
      all: [{ term: 'latetoken', side: 'added' }],
      anyOf: [],
      none: [],
      order: 'newest',
      limit: 5,
    });
    expect(late).toHaveLength(1);
    const stats = await store.history.diffStats(repo.id, DIFF_FORMAT_VERSION);
    expect(stats).toMatchObject({ commits: 4, skippedCommits: 1, pending: 0 });
    await store.history.deleteAll(repo.id);
    expect(await store.history.diffStats(repo.id, DIFF_FORMAT_VERSION)).toEqual({ commits: 0, skippedCommits: 0, files: 0, pending: 0 });
    expect(await find(store, repo.id, { all: [{ term: 'smalltoken', side: 'any' }] })).toEqual([]);
  });
});
