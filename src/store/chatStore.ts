/** One question and its answer in a thread, as stored after the answer was complete. */
export interface ChatTurnRecord {
  /** 1 for the thread's first question. */
  seq: number;
  question: string;
  /** The repositories the question was scoped to; empty: all the asker may see. */
  repos: string[];
  answer: string;
  citations: unknown[];
  commits: unknown[];
  steps: unknown[];
  droppedCitations: number;
  model: string;
  usage: { inputTokens: number; outputTokens: number };
  tookMs: number;
  createdAt: string;
}

export interface ChatThreadSummary {
  /** Opaque and unguessable: the share link is this id. */
  id: string;
  /** The first question, shortened. */
  title: string;
  /** The principal id of whoever asked the first question. */
  owner: string;
  /** When the owner shared it by link; null while private. */
  sharedAt: string | null;
  turnCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface ChatThread extends ChatThreadSummary {
  turns: ChatTurnRecord[];
}

/** Ask conversations. A turn is written whole, once its answer is complete, or not at all. */
export interface ChatStore {
  /** Appends a turn, creating the thread (with this title and owner) when it does not exist yet, in one transaction. */
  appendTurn(
    thread: { id: string; title: string; owner: string },
    turn: Omit<ChatTurnRecord, 'seq' | 'createdAt'>,
  ): Promise<ChatTurnRecord>;
  get(id: string): Promise<ChatThread | null>;
  /** The owner's threads, most recently continued first. */
  list(owner: string, options?: { limit?: number }): Promise<ChatThreadSummary[]>;
  /** Marks the thread shared (true) or private again (false); false when no such thread. */
  setShared(id: string, shared: boolean): Promise<boolean>;
  /** Deletes the thread and its turns; false when no such thread. */
  delete(id: string): Promise<boolean>;
}
