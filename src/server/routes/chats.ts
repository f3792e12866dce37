import { z } from 'zod';
import { deleteThread, listThreads, readThread, shareThread, THREAD_ID_PATTERN } from '../../core/ask/threads.js';
import type { RouteDeps } from './deps.js';
import type { Routes } from './route.js';
import { requestContext } from './toolRoute.js';

const threadParams = z.object({ id: z.string().regex(THREAD_ID_PATTERN, 'id must be a thread id from GET /api/chats') });
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).optional().describe('threads at most (default 50)') });
const shareBody = z.object({ shared: z.boolean().optional().describe('false makes the thread private again (default true)') }).strict();

const summary = z.object({
  id: z.string(),
  title: z.string(),
  owner: z.string(),
  sharedAt: z.string().nullable(),
  turnCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const turn = z.object({
  seq: z.number(),
  question: z.string(),
  repos: z.array(z.string()),
  answer: z.string(),
  answerHidden: z.literal(true).optional().describe('the answer drew on a repository the caller may not read: its text is withheld'),
  citations: z.array(z.looseObject({})),
  commits: z.array(z.looseObject({})),
  steps: z.array(z.looseObject({})),
  droppedCitations: z.number(),
  model: z.string(),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }),
  tookMs: z.number(),
  createdAt: z.string(),
});

/** Ask threads: the caller's list, one thread with its turns, sharing by link, deletion. */
export function registerChatRoutes(routes: Routes, deps: RouteDeps): void {
  routes.add(
    {
      method: 'get',
      path: '/api/chats',
      summary: "The caller's ask threads, most recently continued first",
      query: listQuery,
      what: 'chats query',
      response: { description: 'Threads', schema: z.object({ threads: z.array(summary) }) },
    },
    async (c, { query }) => c.json({ threads: await listThreads(requestContext(deps, c), query.limit) }),
  );
  routes.add(
    {
      method: 'get',
      path: '/api/chats/:id',
      summary: "One thread with every turn (the owner's, or any thread shared by link)",
      params: threadParams,
      what: 'thread id',
      response: {
        description: 'Thread; citations, commits and steps of repositories the caller may not read are replaced by {"redacted": true}',
        schema: summary.extend({
          turns: z.array(turn),
          redacted: z.number().describe('references to repositories the caller may not read that were hidden'),
        }),
      },
    },
    async (c, { params }) => c.json(await readThread(params.id, requestContext(deps, c))),
  );
  routes.add(
    {
      method: 'post',
      path: '/api/chats/:id/share',
      summary: 'Share a thread by its link (/chat/:id), or make it private again with {"shared": false}',
      params: threadParams,
      body: shareBody,
      what: 'share request',
      response: { description: 'The thread and its link', schema: summary.extend({ url: z.string() }) },
    },
    async (c, { params, body }) => {
      const thread = await shareThread(params.id, body.shared ?? true, requestContext(deps, c));
      return c.json({ ...thread, url: `/chat/${thread.id}` });
    },
  );
  routes.add(
    {
      method: 'delete',
      path: '/api/chats/:id',
      summary: 'Delete a thread and its turns (owner only)',
      params: threadParams,
      what: 'thread id',
      response: { description: 'Deleted', schema: z.object({ deleted: z.literal(true) }) },
    },
    async (c, { params }) => {
      await deleteThread(params.id, requestContext(deps, c));
      return c.json({ deleted: true as const });
    },
  );
}
