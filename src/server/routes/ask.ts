import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { askQuestion, configuredChatModel } from '../../core/ask/agent.js';
import { askInThread, THREAD_ID_PATTERN, type ThreadAnswer } from '../../core/ask/threads.js';
import { toGitloreError } from '../../shared/errors.js';
import { errorBody } from '../errors.js';
import type { RouteDeps } from './deps.js';
import type { Routes } from './route.js';
import { requestContext } from './toolRoute.js';

const askBody = z.object({
  question: z.string().trim().min(1, 'question is required').max(4000, 'question is longer than 4000 characters'),
  repos: z.array(z.string().min(1)).max(50).optional(),
});
const threadAskBody = askBody.extend({
  threadId: z
    .string()
    .regex(THREAD_ID_PATTERN, 'threadId must be a thread id from GET /api/chats')
    .optional()
    .describe('continue this thread'),
});
const queryBody = askBody.extend({ username: z.string().optional() });
const askQuery = z.object({ stream: z.enum(['true', 'false']).optional().describe('false: one JSON document instead of events') });

/** A comment line every so often keeps proxies from closing a stream while the model thinks. */
const KEEP_ALIVE_MS = 15_000;

/** Questions in plain language: `/api/ask` streams server-sent events (or one document), `/api/query` answers JSON. */
export function registerAskRoutes(routes: Routes, deps: RouteDeps): void {
  routes.add(
    {
      method: 'post',
      path: '/api/ask',
      summary: 'Ask a question: server-sent events `step`, `text`, `citations`, `done`, `error` (or ?stream=false for one document)',
      query: askQuery,
      body: threadAskBody,
      what: 'ask body',
      response: { description: 'Answer stream, or the `gitlore ask --json` document' },
    },
    async (c, { query, body }) => {
      const ctx = requestContext(deps, c);
      const chat = configuredChatModel(ctx);
      if (query.stream === 'false') return c.json(await askInThread(body, ctx, { chat }));
      c.header('X-Accel-Buffering', 'no');
      return streamSSE(c, async (stream) => {
        // The client going away stops the answer: the socket closing aborts the request's signal, and a cancelled
        // stream (a proxy, or an in-process reader) aborts this one; either stops the model request and the tools.
        const left = new AbortController();
        stream.onAbort(() => left.abort(new DOMException('The client went away.', 'AbortError')));
        const streamCtx = { ...ctx, signal: AbortSignal.any([ctx.signal, left.signal]) };
        const keepAlive = setInterval(() => void stream.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
        const send = (event: string, data: unknown) => stream.writeSSE({ event, data: JSON.stringify(data) });
        try {
          const answer: ThreadAnswer = await askInThread(body, streamCtx, {
            chat,
            onEvent: (event) => {
              if (event.type === 'text') void send('text', { delta: event.delta });
              else if (event.type === 'step-start') void send('step', { state: 'started', tool: event.tool, input: event.input });
              else void send('step', { state: 'finished', ...event.step });
            },
          });
          await send('citations', { citations: answer.citations, commits: answer.commits, droppedCitations: answer.droppedCitations });
          await send('done', answer);
        } catch (error) {
          if (!streamCtx.signal.aborted) await send('error', errorBody(toGitloreError(error)));
        } finally {
          clearInterval(keepAlive);
        }
      });
    },
  );
  routes.add(
    {
      method: 'post',
      path: '/api/query',
      summary: 'Ask a question and get one JSON document (kept for earlier clients)',
      body: queryBody,
      what: 'query body',
      response: { description: 'The `gitlore ask --json` document' },
    },
    async (c: Context, { body }) => {
      const ctx = requestContext(deps, c);
      return c.json(await askQuestion({ question: body.question, repos: body.repos }, ctx, { chat: configuredChatModel(ctx) }));
    },
  );
}
