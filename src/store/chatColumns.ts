import type { ChatTurnRecord } from './chatStore.js';

/** The `chat_threads t` columns as ChatThreadSummary fields, the same in every backend. */
export const THREAD_COLUMNS = `t.id, t.title, t.owner, t.shared_at AS "sharedAt", t.created_at AS "createdAt", t.updated_at AS "updatedAt",
  (SELECT count(*) FROM chat_turns WHERE thread_id = t.id) AS "turnCount"`;

/** The chat_turns columns a turn is written to, in the order of `turnValues`. */
export const TURN_INSERT_COLUMNS = `thread_id, seq, question, repos, answer, citations, commits, steps,
  dropped_citations, model, input_tokens, output_tokens, took_ms, created_at`;

/** `SELECT <every chat_turns column as a TurnRow field> FROM chat_turns`. */
export const SELECT_TURNS = `SELECT seq, question, repos, answer, citations, commits, steps, dropped_citations AS "droppedCitations",
  model, input_tokens AS "inputTokens", output_tokens AS "outputTokens", took_ms AS "tookMs", created_at AS "createdAt" FROM chat_turns`;

export interface TurnRow {
  seq: number;
  question: string;
  repos: string;
  answer: string;
  citations: string;
  commits: string;
  steps: string;
  droppedCitations: number;
  model: string;
  inputTokens: number;
  outputTokens: number;
  tookMs: number;
  createdAt: string;
}

export function toTurn(row: TurnRow): ChatTurnRecord {
  return {
    seq: row.seq,
    question: row.question,
    repos: JSON.parse(row.repos),
    answer: row.answer,
    citations: JSON.parse(row.citations),
    commits: JSON.parse(row.commits),
    steps: JSON.parse(row.steps),
    droppedCitations: row.droppedCitations,
    model: row.model,
    usage: { inputTokens: row.inputTokens, outputTokens: row.outputTokens },
    tookMs: row.tookMs,
    createdAt: row.createdAt,
  };
}

/** The values of TURN_INSERT_COLUMNS for one turn (JSON fields as text). */
export function turnValues(threadId: string, seq: number, turn: Omit<ChatTurnRecord, 'seq' | 'createdAt'>, now: string): unknown[] {
  return [
    threadId,
    seq,
    turn.question,
    JSON.stringify(turn.repos),
    turn.answer,
    JSON.stringify(turn.citations),
    JSON.stringify(turn.commits),
    JSON.stringify(turn.steps),
    turn.droppedCitations,
    turn.model,
    turn.usage.inputTokens,
    turn.usage.outputTokens,
    turn.tookMs,
    now,
  ];
}
