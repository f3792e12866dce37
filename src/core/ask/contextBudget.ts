import type { ModelMessage } from 'ai';

/**
 * Characters per token of the size estimate. Code and English prose average 3.5–4.5 characters per token
 * with the BPE tokenizers of the common models; the estimate needs no tokenizer for each provider, and
 * GITLORE_ASK_CONTEXT_TOKENS is documented as an estimate.
 */
export const CHARS_PER_TOKEN = 4;

/** What takes the place of a tool result removed to stay within the budget. */
export function removedNote(chars: number): string {
  return `[earlier tool result of ${chars} characters removed to stay within the context budget; call the tool again if needed]`;
}

export interface ContextBudget {
  /** Estimated tokens the request may carry. */
  tokens: number;
  /** Characters sent with every request besides the messages: the system prompt and the tool definitions. */
  fixedChars: number;
}

export interface FittedContext {
  messages: ModelMessage[];
  /** Estimated tokens of the request, after fitting. */
  tokens: number;
  /** Tool results replaced by a note, earlier thread turns dropped, latest tool results cut. */
  removedResults: number;
  droppedTurns: number;
  cutResults: number;
}

type ToolMessage = Extract<ModelMessage, { role: 'tool' }>;
type ToolPart = ToolMessage['content'][number];
type ToolOutput = Extract<ToolPart, { type: 'tool-result' }>['output'];

/**
 * The conversation for the next model step, fitted into the budget (its size estimated as the characters
 * of the messages as JSON, plus the fixed part, over CHARS_PER_TOKEN). While it is over: the oldest tool
 * results are replaced by a note saying so (the model can call the tool again), then the earlier turns of
 * the thread are dropped, oldest first, and last the latest step's results are cut to share what is left.
 * The question and the model's own messages stay. The messages given are not changed.
 */
export function fitContext(messages: ModelMessage[], budget: ContextBudget): FittedContext {
  const limit = budget.tokens * CHARS_PER_TOKEN - budget.fixedChars;
  let size = JSON.stringify(messages).length;
  const fitted: FittedContext = { messages, tokens: 0, removedResults: 0, droppedTurns: 0, cutResults: 0 };
  const done = () => ({ ...fitted, tokens: Math.ceil((size + budget.fixedChars) / CHARS_PER_TOKEN) });
  if (size <= limit) return done();

  const out = [...messages];
  const lastAssistant = out.findLastIndex((m) => m.role === 'assistant');
  const question = out.findLastIndex((m) => m.role === 'user');
  /** Replaces the output of one tool result, keeping `size` current. */
  const replace = (index: number, partIndex: number, output: ToolOutput) => {
    const message = out[index] as ToolMessage;
    const part = message.content[partIndex] as Extract<ToolPart, { type: 'tool-result' }>;
    size += JSON.stringify(output).length - JSON.stringify(part.output).length;
    const content = [...message.content];
    content[partIndex] = { ...part, output };
    out[index] = { ...message, content };
  };
  const results = (from: number, to: number) =>
    out.flatMap((m, i) =>
      i >= from && i < to && m.role === 'tool'
        ? m.content.flatMap((p, j) => (p.type === 'tool-result' ? [{ index: i, partIndex: j, output: p.output }] : []))
        : [],
    );

  // 1. Tool results of earlier steps, oldest first.
  for (const { index, partIndex, output } of results(0, lastAssistant)) {
    if (size <= limit) break;
    if (isNote(output)) continue;
    replace(index, partIndex, { type: 'text', value: removedNote(outputText(output).length) });
    fitted.removedResults++;
  }
  // 2. Earlier turns of the thread (everything before the question), oldest first, a question and its answer at a time.
  let dropped = 0;
  while (size > limit && dropped < question) {
    for (const message of out.slice(dropped, Math.min(dropped + 2, question))) size -= JSON.stringify(message).length + 1;
    dropped = Math.min(dropped + 2, question);
  }
  if (dropped > 0) {
    out.splice(0, dropped);
    fitted.droppedTurns = dropped;
  }
  // 3. The latest step's results share what is left.
  if (size > limit) {
    const latest = results(lastAssistant - dropped + 1, out.length);
    const sizes = latest.map(({ output }) => JSON.stringify(output).length);
    const room = limit - (size - sizes.reduce((a, b) => a + b, 0));
    const share = Math.max(MIN_SHARE, Math.floor(room / Math.max(1, latest.length)) - CUT_NOTE_CHARS);
    for (const [k, { index, partIndex, output }] of latest.entries()) {
      const escaped = sizes[k] ?? 0;
      if (escaped <= share) continue;
      const text = outputText(output);
      // `share` counts characters as sent (JSON-escaped); keep the same fraction of the raw text.
      replace(index, partIndex, { type: 'text', value: cutText(text, Math.floor((text.length * share) / escaped)) });
      fitted.cutResults++;
    }
  }
  fitted.messages = out;
  return done();
}

/** Characters a cut result keeps at least, so the model sees what the tool was about. */
const MIN_SHARE = 200;
/** Room left for the note a cut adds (JSON escaping included). */
const CUT_NOTE_CHARS = 120;

/** A tool result's text cut to `chars`, with a note saying how much is gone. */
export function cutText(text: string, chars: number): string {
  return `${text.slice(0, chars)}\n… [trimmed: ${text.length - chars} more characters; ask for a narrower range]`;
}

function outputText(output: ToolOutput): string {
  return output.type === 'text' || output.type === 'error-text' ? output.value : JSON.stringify(output);
}

function isNote(output: ToolOutput): boolean {
  return output.type === 'text' && output.value.startsWith('[earlier tool result of ');
}
