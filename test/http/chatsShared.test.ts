import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeChatServer, type ScriptedTurn, startFakeChat } from '../fakes/chatServer.js';
import {
  MATRIX_REPOS,
  MATRIX_SYMBOLS,
  type MatrixUser,
  makePermissionFixture,
  type PermissionFixture,
  requestAs,
} from '../helpers/permissionFixture.js';

/**
 * A shared thread read by someone else shows only what the reader may read: citations, commits and tool steps of
 * other repositories become `{"redacted": true}`, an answer that drew on them is withheld, and the thread says how
 * many references were hidden. The owner is checked again at read time.
 */
let fixture: PermissionFixture;
let chat: FakeChatServer;
let script: ScriptedTurn[] = [];
// biome-ignore lint/suspicious/noExplicitAny: response documents, read field by field in assertions
type Doc = any;

const { open, granted } = MATRIX_REPOS;
const call = (name: string, args: Record<string, unknown>) => ({ toolCalls: [{ name, arguments: JSON.stringify(args) }] });

const askAs = async (who: MatrixUser, body: Record<string, unknown>) => {
  const res = await requestAs(fixture, who, 'token', '/api/ask?stream=false', { method: 'POST', body });
  expect(res.status).toBe(200);
  return (await res.json()) as Doc;
};
const readAs = async (who: MatrixUser, id: string) => {
  const res = await requestAs(fixture, who, 'session', `/api/chats/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Doc;
};
const pageAs = async (who: MatrixUser, id: string) => {
  const res = await requestAs(fixture, who, 'session', `/chat/${id}`);
  expect(res.status).toBe(200);
  return res.text();
};
const share = async (who: MatrixUser, id: string) =>
  expect((await requestAs(fixture, who, 'session', `/api/chats/${id}/share`, { method: 'POST', body: {} })).status).toBe(200);

/** Everything of the granted repository a hidden reference could leak: its name, file, symbol and commit hashes. */
async function leaksOfGranted(): Promise<RegExp> {
  const head = (await fixture.app.store.repos.get(granted))?.headCommit ?? 'none';
  return new RegExp(`${granted}|src/granted\\.ts|${MATRIX_SYMBOLS.granted}|${head.slice(0, 7)}`);
}

beforeAll(async () => {
  chat = await startFakeChat(() => script.shift() ?? { text: 'out of script' });
  fixture = await makePermissionFixture({ GITLORE_LLM: 'openai', GITLORE_LLM_MODEL: 'scripted', OPENAI_BASE_URL: chat.url });
});

afterAll(async () => {
  await fixture?.app.close();
  await chat?.close();
});

describe('a thread shared by alice, who may read the private repository, citing it', () => {
  let threadId: string;
  let head: string;

  beforeAll(async () => {
    head = (await fixture.app.store.repos.get(granted))?.headCommit as string;
    script = [
      call('get_file', { repo: granted, path: 'src/granted.ts' }),
      { text: `It trims: ${granted}/src/granted.ts:1-3, see ${granted}@${head.slice(0, 10)}; the open one too: ${open}/src/open.ts:1-3.` },
    ];
    const first = await askAs('alice', { question: 'How is billing input cleaned?' });
    threadId = first.threadId;
    expect(first.citations.map((c: Doc) => c.repo).sort()).toEqual([granted, open].sort());
    expect(first.commits).toHaveLength(1);
    script = [call('get_file', { repo: open, path: 'src/open.ts' }), { text: `The open helper trims too: ${open}/src/open.ts:1-3.` }];
    await askAs('alice', { question: 'And the open helper?', threadId });
    await share('alice', threadId);
  });

  it('bob reads it redacted: markers that name nothing, the answer withheld, the count on the thread', async () => {
    const thread = await readAs('bob', threadId);
    const [first, second] = thread.turns;
    expect(first.citations).toEqual([{ redacted: true }, { repo: open, path: 'src/open.ts', startLine: 1, endLine: 3 }]);
    expect(first.commits).toEqual([{ redacted: true }]);
    expect(first.steps).toEqual([{ tool: 'get_file', redacted: true }]);
    expect(first).toMatchObject({ answer: '', answerHidden: true });
    // The second turn read and cited only the public repository: bob sees all of it.
    expect(second.answer).toMatch(/open helper trims/);
    expect(second.answerHidden).toBeUndefined();
    expect(second.steps).toMatchObject([{ tool: 'get_file', input: { repo: open }, ok: true }]);
    // citation + commit + step + the answer
    expect(thread.redacted).toBe(4);
    expect(JSON.stringify(thread)).not.toMatch(await leaksOfGranted());
  });

  it('the page says how many references were hidden and shows none of them', async () => {
    const html = await pageAs('bob', threadId);
    expect(html).toContain('4 references to repositories you cannot read were hidden.');
    expect(html).toContain('This answer drew on repositories you cannot read, so it is hidden.');
    expect(html).toContain('open helper trims');
    expect(html).not.toMatch(await leaksOfGranted());
  });

  it('the admin and the owner read it whole', async () => {
    for (const who of ['admin', 'alice'] as const) {
      const thread = await readAs(who, threadId);
      expect(thread.redacted).toBe(0);
      expect(thread.turns[0].answer).toMatch(/It trims/);
      expect(thread.turns[0].citations).toHaveLength(2);
      expect(await pageAs(who, threadId)).not.toContain('cannot read');
    }
  });

  it('the owner is checked again at read time: access revoked since hides what it gave', async () => {
    await fixture.app.store.access.replaceForUser(fixture.users.alice.id, 'user', []);
    try {
      const thread = await readAs('alice', threadId);
      expect(thread.redacted).toBe(4);
      expect(thread.turns[0].answerHidden).toBe(true);
      expect(JSON.stringify(thread)).not.toMatch(await leaksOfGranted());
    } finally {
      await fixture.app.store.access.replaceForUser(fixture.users.alice.id, 'user', [fixture.repoIds.granted]);
    }
  });
});

describe('what a turn drew on without citing it', () => {
  it('an unscoped search whose hits came from the private repository hides the step and the answer', async () => {
    script = [call('search_code', { query: MATRIX_SYMBOLS.granted, mode: 'lexical' }), { text: 'Billing input is trimmed before use.' }];
    const { threadId, steps } = await askAs('alice', { question: 'Where is billing input handled?' });
    expect(steps[0].repos).toContain(granted);
    await share('alice', threadId);
    const thread = await readAs('bob', threadId);
    expect(thread.turns[0]).toMatchObject({ answer: '', answerHidden: true, steps: [{ tool: 'search_code', redacted: true }] });
    expect(thread.redacted).toBe(2);
    expect((await readAs('alice', threadId)).turns[0].answer).toMatch(/trimmed before use/);
  });

  it('a scope naming the private repository is dropped for bob and hides the answer', async () => {
    script = [{ text: 'Nothing to add.' }];
    const { threadId } = await askAs('alice', { question: 'Anything here?', repos: [granted] });
    await share('alice', threadId);
    const thread = await readAs('bob', threadId);
    expect(thread.turns[0]).toMatchObject({ repos: [], answerHidden: true });
    expect(thread.redacted).toBe(2);
  });

  it('a turn stored before steps recorded their repositories: an unscoped step shows the answer only to the owner and to readers of everything', async () => {
    const id = 'legacyThreadId0123456789';
    await fixture.app.store.chats.appendTurn(
      { id, title: 'old question', owner: fixture.users.alice.id },
      {
        question: 'old question',
        repos: [],
        answer: 'An answer from before.',
        citations: [],
        commits: [],
        steps: [{ tool: 'search_code', input: { query: 'billing' }, ok: true, ms: 3 }],
        droppedCitations: 0,
        model: 'openai:scripted',
        usage: { inputTokens: 1, outputTokens: 1 },
        tookMs: 5,
      },
    );
    await share('alice', id);
    expect((await readAs('bob', id)).turns[0]).toMatchObject({ answer: '', answerHidden: true });
    expect((await readAs('admin', id)).turns[0].answer).toBe('An answer from before.');
    expect((await readAs('alice', id)).turns[0].answer).toBe('An answer from before.');
  });
});

describe('a follow-up by an owner whose access was revoked', () => {
  it('leaves the turns they may no longer read out of the prompt', async () => {
    script = [call('get_file', { repo: granted, path: 'src/granted.ts' }), { text: `Trimmed: ${granted}/src/granted.ts:1-3.` }];
    const { threadId } = await askAs('alice', { question: 'How is billing input cleaned?' });
    await fixture.app.store.access.replaceForUser(fixture.users.alice.id, 'user', []);
    try {
      const before = chat.requests.length;
      script = [{ text: 'Nothing more.' }];
      await askAs('alice', { question: 'Anything else?', threadId });
      const messages = chat.requests[before]?.body.messages ?? [];
      expect(messages.filter((m) => m.role !== 'system').map((m) => [m.role, String(m.content)])).toEqual([
        ['user', expect.stringContaining('Anything else?')],
      ]);
      const sent = JSON.stringify(messages);
      expect(sent).not.toMatch(await leaksOfGranted());
    } finally {
      await fixture.app.store.access.replaceForUser(fixture.users.alice.id, 'user', [fixture.repoIds.granted]);
    }
  });
});
