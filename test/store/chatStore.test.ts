import { describe, expect, it } from 'vitest';
import type { ChatTurnRecord } from '../../src/store/index.js';
import { BACKENDS, useBackendStores } from '../helpers/backends.js';

const turn = (question: string, extra: Partial<ChatTurnRecord> = {}): Omit<ChatTurnRecord, 'seq' | 'createdAt'> => ({
  question,
  repos: [],
  answer: `answer to ${question}`,
  citations: [],
  commits: [],
  steps: [],
  droppedCitations: 0,
  model: 'test-model',
  usage: { inputTokens: 10, outputTokens: 5 },
  tookMs: 42,
  ...extra,
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 3));

describe.each(BACKENDS)('the chat store on %s', (backend) => {
  const openStore = useBackendStores(backend);

  it('appends numbered turns, creating the thread with the first, and reads every field back', async () => {
    const { store } = await openStore();
    const rich = turn('where is auth?', {
      repos: ['api', 'wéb'],
      citations: [{ repo: 'api', path: 'src/auth.ts', startLine: 1, endLine: 9, note: 'ünïcødé "q"' }],
      commits: [{ hash: 'abc', subject: 'fix' }],
      steps: [{ tool: 'search', args: { q: 'auth' }, ok: true }, null, 3],
      droppedCitations: 2,
      usage: { inputTokens: 3_000_000_000, outputTokens: 7 },
      tookMs: 1234,
    });
    const first = await store.chats.appendTurn({ id: 't1', title: 'where is auth?', owner: 'u_a' }, rich);
    expect(first).toEqual({ ...rich, seq: 1, createdAt: expect.stringMatching(/^\d{4}-/) });
    await tick();
    const second = await store.chats.appendTurn({ id: 't1', title: 'ignored', owner: 'u_b' }, turn('and tests?'));
    expect(second.seq).toBe(2);
    const thread = await store.chats.get('t1');
    expect(thread).toEqual({
      id: 't1',
      title: 'where is auth?',
      owner: 'u_a',
      sharedAt: null,
      turnCount: 2,
      createdAt: first.createdAt,
      updatedAt: second.createdAt,
      turns: [first, second],
    });
    expect(await store.chats.get('t2')).toBeNull();
  });

  it('numbers turns appended at once without gaps or clashes', async () => {
    const { store } = await openStore();
    // Connections open already, so the appends do overlap.
    await Promise.all(Array.from({ length: 8 }, () => store.chats.list('u_a')));
    const appended = await Promise.all(
      Array.from({ length: 6 }, (_, i) => store.chats.appendTurn({ id: 'busy', title: 'busy', owner: 'u_a' }, turn(`q${i}`))),
    );
    expect(appended.map((t) => t.seq).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect((await store.chats.get('busy'))?.turns.map((t) => t.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("lists one owner's threads, most recently continued first, up to the limit", async () => {
    const { store } = await openStore();
    for (const id of ['a', 'b', 'c']) {
      await store.chats.appendTurn({ id, title: `thread ${id}`, owner: 'u_a' }, turn(id));
      await tick();
    }
    await store.chats.appendTurn({ id: 'other', title: 'other', owner: 'u_b' }, turn('x'));
    await tick();
    await store.chats.appendTurn({ id: 'a', title: 'a', owner: 'u_a' }, turn('again'));
    const listed = await store.chats.list('u_a');
    expect(listed.map((t) => [t.id, t.turnCount])).toEqual([
      ['a', 2],
      ['c', 1],
      ['b', 1],
    ]);
    expect(listed[0]).toEqual({
      id: 'a',
      title: 'thread a',
      owner: 'u_a',
      sharedAt: null,
      turnCount: 2,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect((await store.chats.list('u_a', { limit: 2 })).map((t) => t.id)).toEqual(['a', 'c']);
    expect(await store.chats.list('u_nobody')).toEqual([]);
  });

  it('orders threads continued at the same moment by id, byte order', async () => {
    const { store, sql } = await openStore();
    for (const id of ['b', 'A', '_c', 'a']) await store.chats.appendTurn({ id, title: id, owner: 'u_a' }, turn(id));
    await sql(`UPDATE chat_threads SET updated_at = '2030-01-01T00:00:00.000Z'`);
    expect((await store.chats.list('u_a')).map((t) => t.id)).toEqual(['A', '_c', 'a', 'b']);
  });

  it('shares a thread once (keeping when it was first shared), makes it private again, and deletes it with its turns', async () => {
    const { store, sql } = await openStore();
    await store.chats.appendTurn({ id: 't', title: 't', owner: 'u_a' }, turn('q'));
    await store.chats.appendTurn({ id: 'keep', title: 'keep', owner: 'u_a' }, turn('q'));
    expect(await store.chats.setShared('t', true)).toBe(true);
    const sharedAt = (await store.chats.get('t'))?.sharedAt;
    expect(sharedAt).toEqual(expect.stringMatching(/^\d{4}-/));
    await tick();
    expect(await store.chats.setShared('t', true)).toBe(true);
    expect((await store.chats.get('t'))?.sharedAt).toBe(sharedAt);
    expect(await store.chats.setShared('t', false)).toBe(true);
    expect((await store.chats.get('t'))?.sharedAt).toBeNull();
    expect(await store.chats.setShared('nope', true)).toBe(false);
    expect(await store.chats.setShared('nope', false)).toBe(false);
    expect(await store.chats.delete('t')).toBe(true);
    expect(await store.chats.delete('t')).toBe(false);
    expect(await store.chats.get('t')).toBeNull();
    expect((await sql('SELECT thread_id FROM chat_turns')).map((r) => r.thread_id)).toEqual(['keep']);
  });
});
