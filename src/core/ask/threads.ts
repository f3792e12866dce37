import { randomBytes } from 'node:crypto';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import type { ChatThread, ChatThreadSummary } from '../../store/chatStore.js';
import type { RequestContext } from '../context.js';
import { type AskAnswer, type AskInput, type AskOptions, askQuestion } from './agent.js';
import { type ThreadView, viewThread } from './threadView.js';

/** Earlier turns sent with a follow-up; older ones stay in the thread but not in the prompt. */
const HISTORY_TURNS = 8;
const TITLE_CHARS = 80;

export interface ThreadAskInput extends AskInput {
  /** Continue this thread; a new thread when absent. */
  threadId?: string;
}

/** An answer as `ask --json` prints it: the agent's answer and the thread it was stored in. */
export interface ThreadAnswer extends AskAnswer {
  threadId: string;
}

/** Thread ids are the share links: 128 random bits, URL-safe. */
export const THREAD_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * Asks a question in a thread: a follow-up gets the thread's earlier turns (and, unless it names
 * its own, their repositories). The turn is stored only once the answer is complete; a failed or
 * abandoned question (the client went away) leaves the thread as it was.
 */
export async function askInThread(input: ThreadAskInput, ctx: RequestContext, options: AskOptions = {}): Promise<ThreadAnswer> {
  const previous = input.threadId ? await ownThread(input.threadId, ctx, 'continue') : null;
  const lastRepos = previous?.turns.at(-1)?.repos;
  const repos = input.repos?.length ? input.repos : lastRepos?.length ? lastRepos : undefined;
  // A turn whose answer drew on repositories the asker can no longer read stays out of the prompt (its answer is withheld).
  const history = (previous?.turns ?? [])
    .filter((turn) => !turn.answerHidden)
    .slice(-HISTORY_TURNS)
    .map((turn) => ({ question: turn.question, answer: turn.answer }));
  const answer = await askQuestion({ question: input.question, repos }, ctx, { ...options, history });
  ctx.signal.throwIfAborted();
  const threadId = previous?.id ?? randomBytes(16).toString('base64url');
  await ctx.services.store.chats.appendTurn(
    { id: threadId, title: titleOf(input.question), owner: ctx.principal.id },
    {
      question: answer.question,
      repos: repos ?? [],
      answer: answer.answer,
      citations: answer.citations,
      commits: answer.commits,
      steps: answer.steps,
      droppedCitations: answer.droppedCitations,
      model: answer.model,
      usage: answer.usage,
      tookMs: answer.tookMs,
    },
  );
  return { ...answer, threadId };
}

/** The caller's threads, most recently continued first. */
export function listThreads(ctx: RequestContext, limit = 50): Promise<ChatThreadSummary[]> {
  return ctx.services.store.chats.list(ctx.principal.id, { limit });
}

/**
 * A thread its owner, or anyone once it is shared, may read; THREAD_NOT_FOUND otherwise (its existence is not
 * revealed). What came from repositories the caller may not read now is redacted (threadView.ts).
 */
export async function readThread(id: string, ctx: RequestContext): Promise<ThreadView> {
  return viewThread(await findThread(id, ctx), ctx);
}

async function findThread(id: string, ctx: RequestContext): Promise<ChatThread> {
  const thread = THREAD_ID_PATTERN.test(id) ? await ctx.services.store.chats.get(id) : null;
  if (!thread || (thread.owner !== ctx.principal.id && thread.sharedAt === null)) throw notFound(id);
  return thread;
}

/** Shares the caller's thread by link (its id), or makes it private again. */
export async function shareThread(id: string, shared: boolean, ctx: RequestContext): Promise<ChatThreadSummary> {
  await ownThread(id, ctx, shared ? 'share' : 'unshare');
  await ctx.services.store.chats.setShared(id, shared);
  const { turns: _turns, ...summary } = await findThread(id, ctx);
  return summary;
}

export async function deleteThread(id: string, ctx: RequestContext): Promise<void> {
  await ownThread(id, ctx, 'delete');
  await ctx.services.store.chats.delete(id);
}

/** The caller's own thread as they may read it now (a follow-up sends only what they may still see). */
async function ownThread(id: string, ctx: RequestContext, action: string): Promise<ThreadView> {
  const thread = await readThread(id, ctx);
  if (thread.owner !== ctx.principal.id) {
    throw new GitloreError(ERROR_CODES.FORBIDDEN, `Only the owner of thread ${id} can ${action} it.`, {
      hint: 'Ask without a thread id to start a thread of your own.',
    });
  }
  return thread;
}

function notFound(id: string): GitloreError {
  return new GitloreError(ERROR_CODES.THREAD_NOT_FOUND, `No thread ${id}.`, {
    hint: 'List your threads with GET /api/chats; a thread shared with you opens by its link.',
  });
}

function titleOf(question: string): string {
  const flat = question.replace(/\s+/g, ' ').trim();
  return flat.length <= TITLE_CHARS ? flat : `${flat.slice(0, TITLE_CHARS - 1)}…`;
}
