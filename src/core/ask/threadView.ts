import type { ChatThread, ChatTurnRecord } from '../../store/chatStore.js';
import type { RequestContext } from '../context.js';
import { matchRepoName, visibleRepoIds, visibleRepos } from '../repoGate.js';

/** What replaces a citation, a commit or a tool step of a repository the viewer may not read: it names nothing of it. */
export const REDACTED_MARK = Object.freeze({ redacted: true as const });

/** A stored turn as one viewer may read it. */
export interface TurnView extends ChatTurnRecord {
  /** The answer drew on a repository the viewer may not read: its text is withheld (answer is empty). */
  answerHidden?: true;
}

/** A thread as one viewer may read it, with how many references to repositories they may not read were hidden. */
export interface ThreadView extends ChatThread {
  turns: TurnView[];
  redacted: number;
}

interface StepRecord {
  tool?: unknown;
  input?: unknown;
  ok?: unknown;
  ms?: unknown;
  /** The repositories whose content the step's result carried (recorded since shared chats are redacted). */
  repos?: unknown;
}

/**
 * A thread as the viewer may read it, checked against the one gate with the viewer's principal at read time (for the
 * owner too: access revoked since the question was asked hides what it gave). A citation, commit or tool step of a
 * repository the viewer may not read becomes REDACTED_MARK, and a scope entry naming one is dropped.
 *
 * The answer text is model prose that may quote code or name repositories without citing them, so it is shown only
 * when the viewer may read every repository the turn drew on: its scope, citations, commits, every tool call's `repo`
 * arguments and the repositories its results carried. A step stored without that record (a turn asked before it was
 * kept) cannot be attributed: its turn's answer is shown to the owner and to viewers who may read every repository.
 */
export async function viewThread(thread: ChatThread, ctx: RequestContext): Promise<ThreadView> {
  const [visible, ids] = await Promise.all([visibleRepos(ctx), visibleRepoIds(ctx)]);
  const readable = (name: unknown) => typeof name === 'string' && matchRepoName(visible, name) !== undefined;
  const seesEverything = ids === null;
  const own = thread.owner === ctx.principal.id;
  let redacted = 0;
  const turns = thread.turns.map((turn): TurnView => {
    let hidden = 0;
    const keep = <T>(items: T[], reposOf: (item: T) => unknown[]): T[] =>
      items.map((item) => {
        if (reposOf(item).every(readable)) return item;
        hidden += 1;
        return REDACTED_MARK as T;
      });
    const citations = keep(turn.citations, (c) => [(c as { repo?: unknown }).repo]);
    const commits = keep(turn.commits, (c) => [(c as { repo?: unknown }).repo]);
    const steps = keep(turn.steps as StepRecord[], (s) => stepRepos(s) ?? []).map((s, i) =>
      s === REDACTED_MARK ? { tool: (turn.steps[i] as StepRecord).tool, ...REDACTED_MARK } : s,
    );
    const repos = turn.repos.filter(readable);
    hidden += turn.repos.length - repos.length;
    const unattributed = (turn.steps as StepRecord[]).some((s) => stepRepos(s) === null);
    const answerHidden = hidden > 0 || (unattributed && !seesEverything && !own);
    if (answerHidden) hidden += 1;
    redacted += hidden;
    return answerHidden
      ? { ...turn, repos, citations, commits, steps, answer: '', answerHidden: true }
      : { ...turn, repos, citations, commits, steps };
  });
  return { ...thread, turns, redacted };
}

/** The repositories a stored step touched (its arguments and its result), or null when the step did not record them. */
function stepRepos(step: StepRecord): unknown[] | null {
  const input = (step.input ?? {}) as { repo?: unknown; repos?: unknown };
  const named = [...(input.repo === undefined ? [] : [input.repo]), ...(Array.isArray(input.repos) ? input.repos : [])];
  if (Array.isArray(step.repos)) return [...named, ...step.repos];
  // A call scoped to repositories read only those; an unscoped one (list_repos, a search of everything) cannot be attributed.
  return named.length > 0 ? named : null;
}

/**
 * The repositories a tool's structured result names: every `repo` field, and the names of a `repos` list (list_repos).
 * Kept with each ask step so a shared thread can hide what came from repositories its reader may not see.
 */
export function reposNamedIn(output: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(output)) {
    for (const item of output) reposNamedIn(item, into);
  } else if (output && typeof output === 'object') {
    for (const [key, value] of Object.entries(output)) {
      if (key === 'repo' && typeof value === 'string') into.add(value);
      else if (key === 'repos' && Array.isArray(value)) {
        for (const item of value) {
          if (typeof item === 'string') into.add(item);
          else if (item && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string') {
            into.add((item as { name: string }).name);
          }
        }
      } else reposNamedIn(value, into);
    }
  }
  return into;
}
