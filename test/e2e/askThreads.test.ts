import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeChatServer, type ScriptedTurn, startFakeChat } from '../fakes/chatServer.js';
import { runCli } from '../helpers/cli.js';
import { makeRepo, tempDir } from '../helpers/git.js';

/** `gitlore ask --thread`: the real CLI stores each answer in a thread and continues it. */
let root: string;
let chat: FakeChatServer;
let script: ScriptedTurn[] = [];

const cli = (args: string[]) =>
  runCli(args, {
    cwd: root,
    env: {
      GITLORE_DATA_DIR: join(root, 'data'),
      GITLORE_EMBEDDINGS: 'none',
      GITLORE_LLM: 'openai',
      GITLORE_LLM_MODEL: 'scripted-model',
      OPENAI_BASE_URL: chat.url,
    },
  });

beforeAll(async () => {
  root = tempDir('gitlore-ask-threads-');
  chat = await startFakeChat(() => script.shift() ?? { text: 'out of script' });
  makeRepo(join(root, 'notes'), { 'README.md': '# Notes\n\nRetries happen three times.\n' });
  expect((await cli(['repo', 'add', join(root, 'notes')])).code).toBe(0);
  expect((await cli(['sync'])).code).toBe(0);
  expect((await cli(['index'])).code).toBe(0);
});

afterAll(async () => {
  await chat?.close();
});

describe('gitlore ask --thread', () => {
  it('prints the thread id, and --thread continues that thread with the earlier turn', async () => {
    script = [{ text: 'Three times: notes/README.md:3-3.' }];
    const first = await cli(['ask', 'how often does it retry?', '--repo', 'notes']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Three times/);
    const threadId = /Thread ([A-Za-z0-9_-]{22}):/.exec(first.stderr)?.[1];
    expect(threadId, first.stderr).toBeDefined();

    const before = chat.requests.length;
    script = [{ text: 'Because the network flakes.' }];
    const second = await cli(['ask', '--thread', threadId as string, 'why?', '--json']);
    expect(second.code, second.stderr).toBe(0);
    const doc = JSON.parse(second.stdout);
    expect(doc).toMatchObject({ threadId, answer: 'Because the network flakes.' });
    const sent = chat.requests[before]!.body.messages.filter((m) => m.role !== 'system').map((m) => [m.role, String(m.content)]);
    expect(sent[0]).toEqual(['user', expect.stringMatching(/^how often does it retry\?/)]);
    expect(sent[1]).toEqual(['assistant', 'Three times: notes/README.md:3-3.']);
    expect(sent[2]).toEqual(['user', expect.stringMatching(/^why\?[\s\S]*notes/)]);
  });

  it('an unknown thread is one line naming it, exit 2, and the model is not asked', async () => {
    const before = chat.requests.length;
    const result = await cli(['ask', '--thread', 'AAAAAAAAAAAAAAAAAAAAAA', 'why?']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')[0]).toMatch(/No thread AAAAAAAAAAAAAAAAAAAAAA/);
    expect(chat.requests.length).toBe(before);
  });
});
