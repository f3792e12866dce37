import type { Context } from 'hono';
import { compress } from 'hono/compress';
import { configuredChatModel } from '../../core/ask/agent.js';
import { listThreads, readThread } from '../../core/ask/threads.js';
import type { ThreadView, TurnView } from '../../core/ask/threadView.js';
import { visibleRepos } from '../../core/repoGate.js';
import { toGitloreError } from '../../shared/errors.js';
import { redact } from '../../shared/redact.js';
import { blobHref } from '../../shared/searchView.js';
import type { ChatThreadSummary } from '../../store/chatStore.js';
import type { Assets } from './assets.js';
import { Layout } from './layout.js';
import { renderMarkdown } from './markdown.js';
import { type PageKit, sendPage } from './webRoutes.js';

/** Characters of a step's input shown in the steps list; the rest is cut. */
const MAX_INPUT_CHARS = 400;

interface Problem {
  message: string;
  hint?: string;
}

/** `/chat` and `/chat/:id`: earlier threads, one thread's turns, and the box that asks (web/src/chat.ts streams the answer). */
export function registerChatPages({ http, assets, ctx, page }: PageKit): void {
  http.use('/chat/*', compress());

  /** Why questions cannot be asked here (no model configured), with the variable to set; null when they can. */
  const notConfigured = (c: Context): Problem | null => {
    try {
      configuredChatModel(ctx(c));
      return null;
    } catch (thrown) {
      const error = toGitloreError(thrown);
      if (error.code !== 'NOT_CONFIGURED') throw thrown;
      return { message: redact(error.message), hint: error.hint && redact(error.hint) };
    }
  };
  const repoNames = async (c: Context) => (await visibleRepos(ctx(c))).map((r) => r.name).sort();

  http.get(
    '/chat',
    page(async (c) => {
      const [threads, repos] = await Promise.all([listThreads(ctx(c)), repoNames(c)]);
      return sendPage(c, <ChatListPage assets={assets} threads={threads} repos={repos} problem={notConfigured(c)} />);
    }),
  );
  http.get(
    '/chat/:id',
    page(async (c) => {
      const context = ctx(c);
      const thread = await readThread(c.req.param('id') as string, context);
      const own = thread.owner === context.principal.id;
      return sendPage(
        c,
        <ThreadPage
          assets={assets}
          thread={thread}
          own={own}
          repos={own ? await repoNames(c) : []}
          problem={own ? notConfigured(c) : null}
        />,
      );
    }),
  );
}

const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

function ChatListPage(props: { assets: Assets; threads: ChatThreadSummary[]; repos: string[]; problem: Problem | null }) {
  return (
    <Layout title="Chat" section="chat" assets={props.assets} script="chat">
      <h1 class="chat-title">Ask about your code</h1>
      <AskBox repos={props.repos} problem={props.problem} threadId={null} />
      <div id="turns" class="turns" />
      <section class="threads" aria-labelledby="threads-heading">
        <h2 id="threads-heading">Earlier threads</h2>
        {props.threads.length === 0 ? (
          <p class="muted">No threads yet: ask a question above.</p>
        ) : (
          <ol class="thread-list">
            {props.threads.map((t) => (
              <li>
                <a href={`/chat/${t.id}`}>{t.title}</a>
                {t.sharedAt && <span class="badge">Shared</span>}
                <span class="thread-meta">
                  {t.turnCount} {t.turnCount === 1 ? 'turn' : 'turns'} · updated <time datetime={t.updatedAt}>{when(t.updatedAt)}</time>
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </Layout>
  );
}

function ThreadPage(props: { assets: Assets; thread: ThreadView; own: boolean; repos: string[]; problem: Problem | null }) {
  const { thread } = props;
  const shared = thread.sharedAt !== null;
  const link = `/chat/${thread.id}`;
  return (
    <Layout title={`${thread.title} – Chat`} section="chat" assets={props.assets} script="chat">
      <div class="chat-head">
        <h1>{thread.title}</h1>
        {props.own ? (
          <div class="chat-actions">
            <button type="button" id="share" hidden={shared} data-thread={thread.id}>
              Share
            </button>
            <button type="button" id="delete" class="danger" data-thread={thread.id}>
              Delete
            </button>
          </div>
        ) : (
          <p class="muted">Shared with you by link; read-only.</p>
        )}
      </div>
      {thread.redacted > 0 && (
        <p class="notice redacted-note" id="redacted-note">
          {thread.redacted} {thread.redacted === 1 ? 'reference' : 'references'} to repositories you cannot read{' '}
          {thread.redacted === 1 ? 'was' : 'were'} hidden.
        </p>
      )}
      {props.own && (
        <div id="share-panel" class="share-panel" hidden={!shared}>
          <label for="share-link">Anyone who can open gitlore can read this thread at</label>
          <div class="share-row">
            <input id="share-link" readonly value={link} />
            <button type="button" id="copy">
              Copy link
            </button>
            <button type="button" id="unshare" data-thread={thread.id}>
              Unshare
            </button>
          </div>
          <p id="share-status" class="muted" role="status" />
        </div>
      )}
      <div id="turns" class="turns">
        {thread.turns.map((turn) => (
          <Turn turn={turn} />
        ))}
      </div>
      {props.own && <AskBox repos={props.repos} problem={props.problem} threadId={thread.id} />}
    </Layout>
  );
}

/** The question box; where no model is configured, what to set instead. */
function AskBox(props: { repos: string[]; problem: Problem | null; threadId: string | null }) {
  if (props.problem) {
    return (
      <div class="error notice" id="not-configured">
        <p>{props.problem.message}</p>
        {props.problem.hint && <p class="hint">{props.problem.hint}</p>}
        <p class="hint">
          Then restart <code>gitlore serve</code>; earlier threads stay readable meanwhile.
        </p>
      </div>
    );
  }
  const followUp = props.threadId !== null;
  return (
    <form id="ask-form" class="ask" data-thread={props.threadId ?? ''}>
      <label for="question">{followUp ? 'Follow-up question' : 'Question'}</label>
      <textarea
        id="question"
        name="question"
        rows={3}
        maxlength={4000}
        required
        placeholder={followUp ? 'Ask a follow-up…' : 'Where is the retry policy configured?'}
        aria-describedby="ask-keys"
      />
      <div class="ask-row">
        <label class="filter">
          <span>Repository</span>
          <select name="repo">
            <option value="">{followUp ? 'Same as before' : 'All'}</option>
            {props.repos.map((r) => (
              <option value={r}>{r}</option>
            ))}
          </select>
        </label>
        <span id="ask-keys" class="keys">
          <kbd>Enter</kbd> ask · <kbd>Shift</kbd>+<kbd>Enter</kbd> new line
        </span>
        <button type="submit" id="ask">
          Ask
        </button>
        <button type="button" id="stop" hidden>
          Stop
        </button>
      </div>
      <p id="ask-status" class="summary" role="status" />
    </form>
  );
}

interface StepView {
  tool?: unknown;
  input?: unknown;
  ok?: unknown;
  ms?: unknown;
  redacted?: unknown;
}
interface CitationView {
  repo?: unknown;
  path?: unknown;
  startLine?: unknown;
  endLine?: unknown;
}
interface CommitView {
  repo?: unknown;
  hash?: unknown;
  subject?: unknown;
}

function inputText(input: unknown): string {
  const text = JSON.stringify(input ?? {}) ?? '';
  return text.length > MAX_INPUT_CHARS ? `${text.slice(0, MAX_INPUT_CHARS - 1)}…` : text;
}

/** One stored turn: the question, its tool steps (collapsed), the answer rendered from markdown, citations and commits as links. */
function Turn({ turn }: { turn: TurnView }) {
  const steps = turn.steps as StepView[];
  const citations = (turn.citations as CitationView[]).filter((c) => typeof c.repo === 'string' && typeof c.path === 'string');
  const commits = (turn.commits as CommitView[]).filter((c) => typeof c.repo === 'string' && typeof c.hash === 'string');
  const hiddenRefs = [...turn.citations, ...turn.commits].filter((c) => (c as { redacted?: unknown }).redacted === true).length;
  const stepMs = steps.reduce((sum, s) => sum + (typeof s.ms === 'number' ? s.ms : 0), 0);
  return (
    <article class="turn" id={`turn-${turn.seq}`} aria-labelledby={`q-${turn.seq}`}>
      <h2 class="question" id={`q-${turn.seq}`}>
        {turn.question}
      </h2>
      {turn.repos.length > 0 && <p class="turn-repos muted">In {turn.repos.join(', ')}</p>}
      <details class="steps">
        <summary>
          {steps.length} tool {steps.length === 1 ? 'step' : 'steps'} · {stepMs} ms
        </summary>
        <ol>
          {steps.map((s) => (
            <li class={s.ok === false ? 'step failed' : 'step'}>
              <code class="tool">{String(s.tool ?? '')}</code>{' '}
              {s.redacted === true ? (
                <span class="muted">hidden: a repository you cannot read</span>
              ) : (
                <>
                  <code class="input">{inputText(s.input)}</code> <span class="step-state">{s.ok === false ? 'failed' : 'ok'}</span>{' '}
                  <span class="step-ms">{typeof s.ms === 'number' ? `${s.ms} ms` : ''}</span>
                </>
              )}
            </li>
          ))}
        </ol>
      </details>
      {turn.answerHidden ? (
        <p class="answer answer-hidden muted">This answer drew on repositories you cannot read, so it is hidden.</p>
      ) : (
        // renderMarkdown escapes raw HTML and keeps only safe links: the model's text cannot add markup.
        <div class="answer markdown" dangerouslySetInnerHTML={{ __html: renderMarkdown(turn.answer) }} />
      )}
      {citations.length > 0 && (
        <ul class="chips" aria-label="Cited files">
          {citations.map((c) => {
            const start = Number(c.startLine) || undefined;
            const end = Number(c.endLine) || undefined;
            const range = start ? (end && end !== start ? `:${start}-${end}` : `:${start}`) : '';
            return (
              <li>
                <a class="chip" href={blobHref(String(c.repo), String(c.path), start, end)}>
                  {`${c.repo}/${c.path}${range}`}
                </a>
              </li>
            );
          })}
        </ul>
      )}
      {commits.length > 0 && (
        <ul class="chips" aria-label="Cited commits">
          {commits.map((c) => (
            <li>
              <a class="chip" href={`/r/${encodeURIComponent(String(c.repo))}/commit/${encodeURIComponent(String(c.hash))}`}>
                <code>{`${c.repo}@${String(c.hash).slice(0, 10)}`}</code> {typeof c.subject === 'string' ? c.subject : ''}
              </a>
            </li>
          ))}
        </ul>
      )}
      {hiddenRefs > 0 && (
        <p class="muted hidden-refs">
          {hiddenRefs} {hiddenRefs === 1 ? 'citation' : 'citations'} of repositories you cannot read hidden
        </p>
      )}
      <p class="turn-meta">
        {turn.model} · {turn.usage.inputTokens} in / {turn.usage.outputTokens} out tokens · {(turn.tookMs / 1000).toFixed(1)} s
        {turn.droppedCitations > 0 &&
          ` · ${turn.droppedCitations} ${turn.droppedCitations === 1 ? 'citation' : 'citations'} dropped (not found)`}
      </p>
    </article>
  );
}
