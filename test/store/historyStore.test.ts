import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { HistoryCommitRow, Store, TimelineQuery } from '../../src/store/index.js';
import { openStore as openAnyStore } from '../../src/store/openStore.js';
import { BACKENDS, type Backend, useBackendStores } from '../helpers/backends.js';
import { at, commit, generateHistory, hashOf, type SeqCommit } from '../helpers/historyCommits.js';

const ALICE = 'Alice Anders <alice@example.com>';
const BOB = 'Bob Brown <bob@example.com>';
const EMILE = 'ÉMILE Zola <emile@example.com>';
const UNDER = 'under_score <u_s@example.com>';
const CHEN = 'Chen Wei <chen@example.com>';

/**
 * Eight commits (seq 1 oldest) with two roots, a merge (which brought docs/guide.md, against its first parent), a rename chain src/parser.ts → src/lib/parse.ts →
 * lib/parse.ts, neighbours of `src` in byte order (src-old/, src.txt, src/é.ts, src/Zeta.ts), offsets east and
 * west, and a week boundary (Sunday 23:59:59 / Monday 00:00 UTC).
 */
const h = (seq: number) => hashOf(`commit ${seq}`);
const FIXTURE: SeqCommit[] = [
  commit(1, ALICE, '2024-01-01T09:00:00Z', 'Initial commit\n\nSets up the Café project.', ['A README.md', 'A src/index.ts'], { tz: 60 }),
  commit(2, BOB, '2024-01-03T12:00:00Z', 'Add parser', ['A src/parser.ts', 'A src-old/legacy.ts', 'A src.txt'], { tz: -420 }),
  commit(3, EMILE, '2024-01-08T00:30:00Z', 'Fix the parser bug\n\nFixes #12 in src/parser.ts', ['M src/parser.ts'], { tz: 120 }),
  commit(4, CHEN, '2023-12-20T10:00:00Z', 'Import docs', ['A docs/guide.md'], { parents: [] }),
  commit(5, ALICE, '2024-01-09T10:00:00Z', 'Merge docs', ['A docs/guide.md'], { parents: [h(3), h(4)] }),
  commit(6, BOB, '2024-01-10T10:00:00Z', 'Rename parser', ['R src/parser.ts src/lib/parse.ts'], { parents: [h(5)] }),
  commit(7, UNDER, '2024-01-14T23:59:59Z', 'Edit parse: 100% done', ['M src/lib/parse.ts', 'A src/Zeta.ts', 'A src/é.ts']),
  commit(8, ALICE, '2024-01-15T00:00:00Z', 'Rename again\n\nparser moves to lib', ['R src/lib/parse.ts lib/parse.ts', 'M README.md'], {
    tz: -300,
  }),
];
const seqs = (commits: { seq: number }[]) => commits.map((c) => c.seq);

async function addRepo(store: Store, name = 'demo'): Promise<number> {
  return (await store.repos.upsert({ name, sourceType: 'local', sourceKey: 'manual', fullName: name, cloneUrl: '/x', localPath: '/x' })).id;
}

const ICU = 'postgres, en-US collation';
type Variant = Backend | typeof ICU;

/**
 * Stores on a PostgreSQL database whose default collation is ICU's en-US (`B` after `a`, accents folded), as
 * many servers are set up: answers must not depend on it (the test cluster's own C.UTF-8 sorts by code point).
 */
function useIcuStores(): () => Promise<{ store: Store }> {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: inject('postgresUrl') });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  return async () => {
    const name = `gitlore_icu_${process.pid}_${Math.random().toString(16).slice(2, 10)}`;
    await admin(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`);
    cleanups.push(() => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    const dir = mkdtempSync(join(tmpdir(), 'gitlore-icu-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const databaseUrl = inject('postgresUrl').replace(/\/postgres$/, `/${name}`);
    const store = await openAnyStore({ dbPath: join(dir, 'gitlore.db'), databaseUrl, reposPath: join(dir, 'repos') });
    cleanups.push(() => store.close());
    return { store };
  };
}

const useStores = (variant: Variant) => (variant === ICU ? useIcuStores() : useBackendStores(variant));

describe.each<Variant>([...BACKENDS, ICU])('the history store on %s', (variant) => {
  const openStore = useStores(variant);

  async function withFixture(): Promise<{
    store: Store;
    repoId: number;
    timeline: (q: Omit<TimelineQuery, 'repoId'>) => Promise<number[]>;
  }> {
    const { store } = await openStore();
    const repoId = await addRepo(store);
    expect(await store.history.insertCommits(repoId, FIXTURE)).toBe(FIXTURE.length);
    const timeline = async (q: Omit<TimelineQuery, 'repoId'>) => seqs((await store.history.timeline({ repoId, ...q })).commits);
    return { store, repoId, timeline };
  }

  it('keeps ingest state, counts stored commits, skips hashes it has, and lists hashes and the highest seq', async () => {
    const { store } = await openStore();
    const repoId = await addRepo(store);
    const other = await addRepo(store, 'other');
    expect(await store.history.getState(repoId)).toBeNull();
    expect(await store.history.maxSeq(repoId)).toBe(0);
    expect(await store.history.insertCommits(repoId, FIXTURE.slice(0, 3))).toBe(3);
    // Again with two it has, one twice in the batch: the first copy wins, as in SQLite.
    const twice = { ...FIXTURE[3], subject: 'second copy' } as SeqCommit;
    expect(await store.history.insertCommits(repoId, [FIXTURE[1], FIXTURE[3], twice, FIXTURE[0]] as SeqCommit[])).toBe(1);
    expect(await store.history.insertCommits(other, FIXTURE.slice(0, 2))).toBe(2);
    expect(await store.history.insertCommits(repoId, [])).toBe(0);
    expect(await store.history.listHashes(repoId)).toEqual([h(1), h(2), h(3), h(4)].sort());
    expect(await store.history.maxSeq(repoId)).toBe(4);
    expect((await store.history.findCommit(repoId, h(4))).commit?.subject).toBe('Import docs');
    await store.history.setState(repoId, { head: h(4), mailmapHash: 'mm', formatVersion: 2, ingestedAt: '2024-02-01T00:00:00.000Z' });
    expect(await store.history.getState(repoId)).toEqual({
      head: h(4),
      mailmapHash: 'mm',
      formatVersion: 2,
      ingestedAt: '2024-02-01T00:00:00.000Z',
      commitCount: 4,
    });
    await store.history.insertCommits(repoId, FIXTURE.slice(4));
    await store.history.setState(repoId, { head: h(8), mailmapHash: null, formatVersion: 1, ingestedAt: null });
    expect(await store.history.getState(repoId)).toEqual({
      head: h(8),
      mailmapHash: null,
      formatVersion: 1,
      ingestedAt: null,
      commitCount: 8,
    });
    expect(await store.history.getState(other)).toBeNull();
  });

  it('reads every field of a commit back, by full hash and by unique prefix, and lists the candidates of an ambiguous one', async () => {
    const { store } = await openStore();
    const repoId = await addRepo(store);
    const twins = ['abcd1111', 'abcd2222', 'abce0000'].map((p, i) =>
      commit(10 + i, BOB, '2024-03-01T00:00:00Z', `twin ${i}`, [], {
        hash: p.padEnd(40, '0'),
      }),
    );
    await store.history.insertCommits(repoId, [...FIXTURE, ...twins]);
    const found = await store.history.findCommit(repoId, h(3).slice(0, 7).toUpperCase());
    const { files, ...input } = FIXTURE[2] as SeqCommit;
    expect(found).toEqual({ commit: { ...input, id: expect.any(Number) }, ambiguous: [] });
    expect(files).toHaveLength(1);
    expect(await store.history.findCommit(repoId, 'abcd')).toEqual({ commit: null, ambiguous: [twins[0]?.hash, twins[1]?.hash] });
    expect((await store.history.findCommit(repoId, 'abcd2')).commit?.subject).toBe('twin 1');
    expect((await store.history.findCommit(repoId, twins[2]?.hash as string)).commit?.subject).toBe('twin 2');
    for (const wanted of ['abc', 'abcx', 'ffff', `${h(3)}0`])
      expect(await store.history.findCommit(repoId, wanted)).toEqual({ commit: null, ambiguous: [] });
    // A merge's parents, a root's none, an empty body.
    expect((await store.history.findCommit(repoId, h(5))).commit).toMatchObject({ parents: [h(3), h(4)], body: '' });
    expect((await store.history.findCommit(repoId, h(4))).commit?.parents).toEqual([]);
  });

  it('orders the timeline like git log, pages it with a total, and takes merges out, in, or alone', async () => {
    const { store, repoId, timeline } = await withFixture();
    expect(await timeline({})).toEqual([8, 7, 6, 4, 3, 2, 1]);
    expect(await timeline({ order: 'oldest' })).toEqual([1, 2, 3, 4, 6, 7, 8]);
    expect(await timeline({ merges: 'include' })).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(await timeline({ merges: 'only' })).toEqual([5]);
    const page = await store.history.timeline({ repoId, limit: 2, offset: 3 });
    expect({ total: page.total, seqs: seqs(page.commits) }).toEqual({ total: 7, seqs: [4, 3] });
    expect((await store.history.timeline({ repoId, offset: 6 })).commits).toHaveLength(1);
    // Roots by author date (the imported docs are older than the first commit), not by seq.
    expect(await timeline({ roots: true })).toEqual([1, 4]);
    expect(await timeline({ roots: true, order: 'oldest' })).toEqual([4, 1]);
    const withFiles = await store.history.timeline({ repoId, merges: 'include', withFiles: true, limit: 4 });
    expect(withFiles.commits.map((c) => [c.seq, c.files?.map((f) => f.path)])).toEqual([
      [8, ['README.md', 'lib/parse.ts']],
      [7, ['src/Zeta.ts', 'src/lib/parse.ts', 'src/é.ts']],
      [6, ['src/lib/parse.ts']],
      [5, []],
    ]);
    expect(withFiles.commits[0]?.files?.[1]).toEqual({
      status: 'R',
      path: 'lib/parse.ts',
      oldPath: 'src/lib/parse.ts',
      added: null,
      removed: null,
    });
    expect((await store.history.timeline({ repoId: repoId + 1000 })).total).toBe(0);
  });

  it('filters by path: a file under any of its names, a folder without its byte-order neighbours, seq windows, several segments', async () => {
    const { store, repoId, timeline } = await withFixture();
    expect(await timeline({ paths: [{ path: 'src' }] })).toEqual([8, 7, 6, 3, 2, 1]);
    expect(await timeline({ paths: [{ path: './src/' }], order: 'oldest' })).toEqual([1, 2, 3, 6, 7, 8]);
    expect(await timeline({ paths: [{ path: 'src-old' }] })).toEqual([2]);
    expect(await timeline({ paths: [{ path: 'src.txt' }] })).toEqual([2]);
    expect(await timeline({ paths: [{ path: 'src/lib' }] })).toEqual([8, 7, 6]);
    expect(await timeline({ paths: [{ path: 'src/parser.ts', exact: true }] })).toEqual([6, 3, 2]);
    expect(await timeline({ paths: [{ path: 'src/l', exact: false }] })).toEqual([]);
    expect(await timeline({ paths: [{ path: 'src', exact: true }] })).toEqual([]);
    expect(await timeline({ paths: [{ path: '' }] })).toEqual([]);
    // --follow's segments: lib/parse.ts from seq 8, src/lib/parse.ts in [6, 8), src/parser.ts before 6.
    const follow = [
      { path: 'lib/parse.ts', exact: true, fromSeq: 8 },
      { path: 'src/lib/parse.ts', exact: true, beforeSeq: 8, fromSeq: 6 },
      { path: 'src/parser.ts', exact: true, beforeSeq: 6 },
    ];
    expect(await timeline({ paths: follow })).toEqual([8, 7, 6, 3, 2]);
    const page = await store.history.timeline({ repoId, paths: follow, limit: 2, offset: 1, order: 'oldest' });
    expect({ total: page.total, seqs: seqs(page.commits) }).toEqual({ total: 5, seqs: [3, 6] });
    // Paths with other filters, merges and roots.
    expect(await timeline({ paths: [{ path: 'src' }], author: 'bob' })).toEqual([6, 2]);
    expect(await timeline({ paths: [{ path: 'docs' }], merges: 'include' })).toEqual([4]);
    expect(await timeline({ paths: [{ path: 'README.md' }], roots: true })).toEqual([1]);
    const total = await store.history.timeline({
      repoId,
      paths: [{ path: 'src' }, { path: 'README.md' }],
      since: at('2024-01-03T00:00:00Z'),
    });
    expect({ total: total.total, seqs: seqs(total.commits) }).toEqual({ total: 5, seqs: [8, 7, 6, 3, 2] });
  });

  it('matches authors by a substring of `Name <email>`, folding ASCII case only, % and _ as themselves', async () => {
    const { timeline } = await withFixture();
    expect(await timeline({ author: 'ALICE' })).toEqual([8, 1]);
    expect(await timeline({ author: 'anders <alice@' })).toEqual([8, 1]);
    expect(await timeline({ author: 'émile' })).toEqual([]);
    expect(await timeline({ author: 'ÉMILE zola' })).toEqual([3]);
    expect(await timeline({ author: 'r_s' })).toEqual([7]);
    expect(await timeline({ author: '_' })).toEqual([7]);
    expect(await timeline({ author: '%' })).toEqual([]);
  });

  it('bounds author time, and the author’s own wall-clock time', async () => {
    const { timeline } = await withFixture();
    expect(await timeline({ since: at('2024-01-08T00:30:00Z'), until: at('2024-01-14T23:59:59Z') })).toEqual([7, 6, 3]);
    expect(await timeline({ until: at('2024-01-01T09:00:00Z') })).toEqual([4, 1]);
    // Seq 8 is Monday 00:00 UTC but Sunday 19:00 at -05:00; seq 3 is Monday 00:30 UTC, 02:30 at +02:00.
    expect(await timeline({ localSince: at('2024-01-14T00:00:00Z'), localUntil: at('2024-01-14T23:59:59Z') })).toEqual([8, 7]);
    expect(await timeline({ localSince: at('2024-01-08T02:30:00Z'), localUntil: at('2024-01-08T02:30:00Z') })).toEqual([3]);
    expect(await timeline({ localUntil: at('2024-01-01T10:00:00Z') })).toEqual([4, 1]);
  });

  it('greps whole words of subject and body, any case and accents, every word required, and keeps up with new and deleted commits', async () => {
    const { store, repoId, timeline } = await withFixture();
    expect(await timeline({ grep: 'parser' })).toEqual([8, 6, 3, 2]);
    expect(await timeline({ grep: 'PARSER fix' })).toEqual([3]);
    expect(await timeline({ grep: 'fixes 12' })).toEqual([3]);
    expect(await timeline({ grep: 'cafe' })).toEqual([1]);
    expect(await timeline({ grep: 'pars' })).toEqual([]);
    expect(await timeline({ grep: 'ts' })).toEqual([3]);
    expect(await timeline({ grep: '100' })).toEqual([7]);
    expect(await timeline({ grep: 'docs', merges: 'include' })).toEqual([5, 4]);
    const none = await store.history.timeline({ repoId, grep: '%% ..' });
    expect(none).toEqual({ total: 0, commits: [] });
    await store.history.insertCommits(repoId, [commit(9, BOB, '2024-02-01T00:00:00Z', 'Parser speedup', ['M lib/parse.ts'])]);
    expect(await timeline({ grep: 'parser', limit: 2 })).toEqual([9, 8]);
    expect(await store.history.deleteCommits(repoId, [h(8), h(3), 'f'.repeat(40)])).toBe(2);
    expect(await timeline({ grep: 'parser' })).toEqual([9, 6, 2]);
    expect(await timeline({ grep: 'fix' })).toEqual([]);
  });

  it('greps a word FTS5 splits in two for both of its parts, anywhere in the message', async () => {
    const { store } = await openStore();
    const repoId = await addRepo(store);
    // U+19B0 (a New Tai Lue vowel) is a letter to JavaScript but a separator to FTS5: `x\u19b0y` holds the terms x and y.
    await store.history.insertCommits(repoId, [
      commit(1, ALICE, '2024-01-01T00:00:00Z', 'x y'),
      commit(2, ALICE, '2024-01-02T00:00:00Z', 'y x'),
      commit(3, ALICE, '2024-01-03T00:00:00Z', 'x\n\nY'),
      commit(4, ALICE, '2024-01-04T00:00:00Z', 'a x-y b'),
      commit(5, ALICE, '2024-01-05T00:00:00Z', 'x z'),
      commit(6, ALICE, '2024-01-06T00:00:00Z', 'xy'),
    ]);
    const grep = async (text: string) => seqs((await store.history.timeline({ repoId, grep: text })).commits);
    expect(await grep('x\u19b0y')).toEqual([4, 3, 2, 1]);
    expect(await grep('y x')).toEqual([4, 3, 2, 1]);
    expect(await grep('\u19b0')).toEqual([]);
  });

  it('lists a commit’s files by path in byte order and stores line counts', async () => {
    const { store, repoId } = await withFixture();
    const seven = (await store.history.findCommit(repoId, h(7))).commit as HistoryCommitRow;
    const six = (await store.history.findCommit(repoId, h(6))).commit as HistoryCommitRow;
    await store.history.setLineCounts(seven.id, [
      { path: 'src/é.ts', added: 3, removed: 0 },
      { path: 'src/Zeta.ts', added: -1, removed: -1 },
      { path: 'src/lib/parse.ts', added: 1, removed: 1 },
      { path: 'src/lib/parse.ts', added: 5, removed: 2 },
      { path: 'not/there.ts', added: 9, removed: 9 },
    ]);
    await store.history.setLineCounts(seven.id, []);
    expect(await store.history.commitFiles(seven.id)).toEqual([
      { status: 'A', path: 'src/Zeta.ts', oldPath: null, added: -1, removed: -1 },
      { status: 'M', path: 'src/lib/parse.ts', oldPath: null, added: 5, removed: 2 },
      { status: 'A', path: 'src/é.ts', oldPath: null, added: 3, removed: 0 },
    ]);
    expect(await store.history.commitFiles(six.id)).toEqual([
      { status: 'R', path: 'src/lib/parse.ts', oldPath: 'src/parser.ts', added: null, removed: null },
    ]);
    expect(await store.history.commitFiles(six.id + 1000)).toEqual([]);
  });

  it('follows renames into a path, newest first, before a seq', async () => {
    const { store, repoId } = await withFixture();
    expect(await store.history.renamesInto(repoId, 'lib/parse.ts', null)).toEqual([
      { seq: 8, path: 'lib/parse.ts', oldPath: 'src/lib/parse.ts' },
    ]);
    expect(await store.history.renamesInto(repoId, './src/lib/parse.ts', 8)).toEqual([
      { seq: 6, path: 'src/lib/parse.ts', oldPath: 'src/parser.ts' },
    ]);
    expect(await store.history.renamesInto(repoId, 'src/lib/parse.ts', 6)).toEqual([]);
    expect(await store.history.renamesInto(repoId, 'src/parser.ts', null)).toEqual([]);
    expect(await store.history.renamesInto(repoId, 'nowhere', null)).toEqual([]);
    const other = await addRepo(store, 'other');
    expect(await store.history.renamesInto(other, 'lib/parse.ts', null)).toEqual([]);
  });

  it('ranks contributors by non-merge commits, then latest commit, then name and email in byte order', async () => {
    const { store, repoId } = await withFixture();
    const row = (who: string, commits: number, first: string, last: string) => {
      const [name, email] = who.replace('>', '').split(' <');
      return { name, email, commits, firstTime: at(first), lastTime: at(last) };
    };
    expect(await store.history.contributors(repoId)).toEqual([
      row(ALICE, 2, '2024-01-01T09:00:00Z', '2024-01-15T00:00:00Z'),
      row(BOB, 2, '2024-01-03T12:00:00Z', '2024-01-10T10:00:00Z'),
      row(UNDER, 1, '2024-01-14T23:59:59Z', '2024-01-14T23:59:59Z'),
      row(EMILE, 1, '2024-01-08T00:30:00Z', '2024-01-08T00:30:00Z'),
      row(CHEN, 1, '2023-12-20T10:00:00Z', '2023-12-20T10:00:00Z'),
    ]);
    expect((await store.history.contributors(repoId, { path: 'src/lib', limit: 2 })).map((r) => r.name)).toEqual([
      'Alice Anders',
      'under_score',
    ]);
    // Ties on both counts: name order, capitals first (byte order), then email.
    await store.history.insertCommits(repoId, [
      commit(20, 'zed <z@example.com>', '2025-01-01T00:00:00Z', 'tie', ['A tie/a']),
      commit(21, 'Zed <z@example.com>', '2025-01-01T00:00:00Z', 'tie', ['A tie/b']),
      commit(22, 'Zed <a@example.com>', '2025-01-01T00:00:00Z', 'tie', ['A tie/c']),
    ]);
    expect((await store.history.contributors(repoId, { path: 'tie' })).map((r) => `${r.name} <${r.email}>`)).toEqual([
      'Zed <a@example.com>',
      'Zed <z@example.com>',
      'zed <z@example.com>',
    ]);
  });

  it('keeps a merge’s paths apart from file rows, and gives the graph and what changed a path', async () => {
    const { store, repoId, timeline } = await withFixture();
    const graph = await store.history.commitGraph(repoId);
    expect(graph.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(graph[4]).toEqual({ seq: 5, hash: h(5), parents: [h(3), h(4)], committerTime: at('2024-01-09T10:01:00Z') });
    expect(graph[3]).toEqual({ seq: 4, hash: h(4), parents: [], committerTime: at('2023-12-20T10:01:00Z') });
    expect(await store.history.pathTouches(repoId, 'docs')).toEqual({ commits: [4], merges: [5] });
    expect(await store.history.pathTouches(repoId, './docs/guide.md')).toEqual({ commits: [4], merges: [5] });
    // Under either name of a rename, not the folder's byte-order neighbours.
    expect(await store.history.pathTouches(repoId, 'src/lib/parse.ts')).toEqual({ commits: [6, 7, 8], merges: [] });
    expect(await store.history.pathTouches(repoId, 'src')).toEqual({ commits: [1, 2, 3, 6, 7, 8], merges: [] });
    expect(await store.history.pathTouches(repoId, 'nowhere')).toEqual({ commits: [], merges: [] });
    // The merge lists no files and no plain path timeline finds it.
    const merge = (await store.history.findCommit(repoId, h(5))).commit;
    expect(await store.history.commitFiles(merge?.id as number)).toEqual([]);
    expect(await timeline({ paths: [{ path: 'docs' }], merges: 'include' })).toEqual([4]);
    expect(await store.history.insertCommits(await addRepo(store, 'other'), FIXTURE)).toBe(8);
    expect(await store.history.pathTouches(repoId, 'docs')).toEqual({ commits: [4], merges: [5] });
  });

  it('answers timelines and contributors over given seqs, merges among them as asked', async () => {
    const { store, repoId, timeline } = await withFixture();
    // In the order given (a walk's), newest first; oldest first reverses it.
    expect(await timeline({ seqs: [2, 5, 4], merges: 'include' })).toEqual([2, 5, 4]);
    expect(await timeline({ seqs: [2, 5, 4] })).toEqual([2, 4]);
    expect(await timeline({ seqs: [2, 5, 4], merges: 'only' })).toEqual([5]);
    expect(await timeline({ seqs: [2, 5, 4], merges: 'include', order: 'oldest' })).toEqual([4, 5, 2]);
    expect(await timeline({ seqs: [2, 5, 4], merges: 'include', limit: 1, offset: 1 })).toEqual([5]);
    expect(await timeline({ seqs: [], merges: 'include' })).toEqual([]);
    // Seqs win over paths; the other filters still apply; the total counts every match.
    expect(await timeline({ seqs: [8, 7, 3, 1], paths: [{ path: 'docs' }] })).toEqual([8, 7, 3, 1]);
    const page = await store.history.timeline({ repoId, seqs: [8, 7, 3, 1, 5], merges: 'include', author: 'alice', limit: 1, offset: 1 });
    expect({ total: page.total, seqs: seqs(page.commits) }).toEqual({ total: 3, seqs: [1] });
    const people = async (q: Parameters<Store['history']['contributors']>[1]) =>
      (await store.history.contributors(repoId, q)).map((r) => `${r.name}:${r.commits}`);
    expect(await people({ seqs: [5, 4, 1] })).toEqual(['Alice Anders:2', 'Chen Wei:1']);
    expect(await people({ seqs: [5, 4, 1], path: 'src' })).toEqual(['Alice Anders:2', 'Chen Wei:1']);
    expect(await people({ merges: true })).toEqual(['Alice Anders:3', 'Bob Brown:2', 'under_score:1', 'ÉMILE Zola:1', 'Chen Wei:1']);
    expect(await people({ path: 'docs', merges: true })).toEqual(['Chen Wei:1']);
  });

  it('lists root commits oldest first, and counts non-merge commits per ISO week from Monday 00:00 UTC', async () => {
    const { store, repoId } = await withFixture();
    expect(seqs(await store.history.rootCommits(repoId))).toEqual([4, 1]);
    const week = (monday: string, commits: number) => ({ weekStart: at(`${monday}T00:00:00Z`), commits });
    expect(await store.history.weeklyActivity(repoId)).toEqual([
      week('2023-12-18', 1),
      week('2024-01-01', 2),
      week('2024-01-08', 3),
      week('2024-01-15', 1),
    ]);
    expect(await store.history.weeklyActivity(repoId, { path: 'src/lib', since: at('2024-01-10T10:00:01Z') })).toEqual([
      week('2024-01-08', 1),
      week('2024-01-15', 1),
    ]);
    expect(await store.history.weeklyActivity(repoId, { path: 'nowhere' })).toEqual([]);
  });

  it('deletes commits with their files, bodies and words, and a whole repo’s history with its state', async () => {
    const { store, repoId, timeline } = await withFixture();
    const other = await addRepo(store, 'other');
    await store.history.insertCommits(other, FIXTURE);
    await store.history.setState(repoId, { head: h(8), mailmapHash: null, formatVersion: 2, ingestedAt: null });
    expect(await timeline({ grep: 'rename' })).toEqual([8, 6]);
    expect(await store.history.deleteCommits(repoId, [h(6), h(6)])).toBe(1);
    expect(await store.history.deleteCommits(repoId, [])).toBe(0);
    expect(await timeline({ paths: [{ path: 'src/lib/parse.ts', exact: true }] })).toEqual([8, 7]);
    expect(await timeline({ grep: 'rename' })).toEqual([8]);
    expect(await store.history.renamesInto(repoId, 'src/lib/parse.ts', null)).toEqual([]);
    expect(await store.history.deleteAll(repoId)).toBe(7);
    expect(await store.history.getState(repoId)).toBeNull();
    expect(await store.history.listHashes(repoId)).toEqual([]);
    expect(await timeline({ merges: 'include' })).toEqual([]);
    expect(await store.history.contributors(repoId)).toEqual([]);
    expect(await store.history.timeline({ repoId: other, grep: 'rename' })).toMatchObject({ total: 2 });
    // Ingesting again after a deleteAll starts from scratch.
    expect(await store.history.insertCommits(repoId, FIXTURE)).toBe(8);
    expect(await timeline({ paths: [{ path: 'src/lib' }], grep: 'rename' })).toEqual([8, 6]);
  });

  it('takes concurrent batches of one ingest (people and paths shared between them) without losing or doubling any', async () => {
    const { store } = await openStore();
    const repoId = await addRepo(store);
    const history = generateHistory(600, 3);
    const batches: SeqCommit[][] = [];
    for (let i = 0; i < history.length; i += 50) batches.push(history.slice(i, i + 50));
    const added = await Promise.all(batches.map((batch) => store.history.insertCommits(repoId, batch)));
    expect(added.reduce((a, b) => a + b, 0)).toBe(600);
    const all = await store.history.timeline({ repoId, merges: 'include', withFiles: true });
    expect(all.total).toBe(600);
    expect(all.commits.reduce((n, c) => n + (c.files?.length ?? 0), 0)).toBe(history.reduce((n, c) => n + c.files.length, 0));
  });
});

/** Everything a query returns except the store's own row ids. */
const withoutIds = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (key, v) => (key === 'id' ? undefined : v)));

describe('the history store on sqlite and postgres', () => {
  const opens = (['sqlite', 'postgres', ICU] as const).map(useStores);

  it('answers every query over the same generated history with the same rows in the same order', async () => {
    const history = generateHistory(1500);
    const stores = await Promise.all(opens.map((open) => open()));
    const repos = await Promise.all(stores.map(({ store }) => addRepo(store)));
    for (const [i, { store }] of stores.entries()) {
      for (let start = 0; start < history.length; start += 100) {
        await store.history.insertCommits(repos[i] as number, history.slice(start, start + 100));
      }
      await store.history.setState(repos[i] as number, {
        head: history.at(-1)?.hash ?? null,
        mailmapHash: null,
        formatVersion: 2,
        ingestedAt: null,
      });
    }
    const paths = [...new Set(history.flatMap((c) => c.files.flatMap((f) => [f.path, f.oldPath ?? f.path])))].sort();
    const renamed = history.flatMap((c) => c.files.filter((f) => f.status === 'R'));
    const middle = history[700] as SeqCommit;
    const queries: Omit<TimelineQuery, 'repoId'>[] = [
      {},
      { order: 'oldest', limit: 50, offset: 30 },
      { merges: 'include', withFiles: true, limit: 200 },
      { merges: 'only' },
      { roots: true },
      { roots: true, merges: 'include', order: 'oldest' },
      ...['src', 'src/lib', 'docs', 'Docs', 'src/é', 'src-old', 'lib', 'test', 'src.d'].map((path) => ({ paths: [{ path }] })),
      ...paths.filter((_, i) => i % 37 === 0).map((path) => ({ paths: [{ path, exact: true }], withFiles: true })),
      { paths: [{ path: 'src' }, { path: 'docs', exact: false, beforeSeq: 900, fromSeq: 200 }], order: 'oldest' as const, limit: 40 },
      { paths: [{ path: 'src' }], author: 'ALICE', merges: 'include' as const },
      ...['alice', 'ÉMILE', 'émile', 'Zola <', '_', '@example.com', 'bob brown'].map((author) => ({ author })),
      { since: middle.authorTime, until: middle.authorTime + 30 * 86400 },
      { localSince: middle.authorTime, localUntil: middle.authorTime + 7 * 86400, merges: 'include' as const },
      ...[
        'fix',
        'FIXES',
        'cafe',
        'CAFÉ naive',
        'strasse',
        'straße',
        'uber',
        'über',
        'ǖber',
        '日本語',
        'テスト',
        'x\u19b0y',
        'x y',
        'src main ts',
        'v1',
        'e mail',
        'example',
        'under_score',
        'don',
        't',
        'file',
        'ﬁle',
        'Ⅻ',
        'xii',
        '2',
        '²',
        'σίσυφος',
        'ΣΊΣΥΦΟΣ',
        'σισυφος',
        'istanbul',
        'İstanbul',
        '!!!',
      ].map((grep) => ({ grep, merges: 'include' as const })),
      { grep: 'fix', paths: [{ path: 'src' }], author: 'e', limit: 5, offset: 2 },
    ];
    for (const query of queries) {
      const [sqlite, postgres] = await Promise.all(
        stores.map(({ store }, i) => store.history.timeline({ repoId: repos[i] as number, ...query })),
      );
      expect(withoutIds(postgres), JSON.stringify(query)).toEqual(withoutIds(sqlite));
    }
    const both = async <T>(read: (store: Store, repoId: number) => Promise<T>) => {
      const [sqlite, ...postgres] = await Promise.all(stores.map(({ store }, i) => read(store, repos[i] as number)));
      for (const answer of postgres) expect(withoutIds(answer)).toEqual(withoutIds(sqlite));
      return sqlite;
    };
    expect(await both((s, r) => s.history.contributors(r))).not.toHaveLength(0);
    for (const path of ['src', 'docs', 'src/é', paths[3] as string]) {
      await both((s, r) => s.history.contributors(r, { path, limit: 4 }));
      await both((s, r) => s.history.weeklyActivity(r, { path }));
    }
    expect(await both((s, r) => s.history.weeklyActivity(r))).not.toHaveLength(0);
    await both((s, r) => s.history.weeklyActivity(r, { since: middle.authorTime }));
    expect(await both((s, r) => s.history.rootCommits(r))).toHaveLength(2);
    for (const rename of renamed.slice(0, 20)) await both((s, r) => s.history.renamesInto(r, rename.path, null));
    for (const prefix of [middle.hash.slice(0, 4), middle.hash.slice(0, 3), middle.hash]) {
      await both((s, r) => s.history.findCommit(r, prefix));
    }
    expect(await both((s, r) => s.history.listHashes(r))).toHaveLength(1500);
    await both((s, r) => s.history.maxSeq(r));
  });
});
