/**
 * What a scripted model does on one request, the same for every chat fake (OpenAI-compatible,
 * Anthropic, Bedrock): call tools, write text, or fail with a status. Each fake turns it into its
 * provider's own wire format.
 */
export interface ScriptedTurn {
  /** Tool calls made in this one model turn (several = parallel calls); `arguments` is the JSON text. */
  toolCalls?: { name: string; arguments: string }[];
  text?: string;
  status?: number;
  /** The error message sent with `status`. */
  error?: string;
  /** Seconds sent as `retry-after` with `status` (as the services do on 429), so a test does not wait out the client's backoff. */
  retryAfter?: number;
  /** Send the first chunk, then nothing more until the client goes away (a stalled model server). */
  stall?: boolean;
  /** Send the text (and tool calls), then nothing more until the client goes away: a stall mid-answer (OpenAI fake). */
  stallAfterContent?: boolean;
  /** Wait this long before each chunk after the first: a slow model (OpenAI fake). */
  chunkDelayMs?: number;
}

/** The text cut in up to `count` non-empty pieces, as services split streamed tool arguments at arbitrary places. */
export function pieces(text: string, count = 3): string[] {
  const size = Math.max(1, Math.ceil(text.length / count));
  return Array.from({ length: count }, (_, i) => text.slice(i * size, (i + 1) * size)).filter(Boolean);
}

/** The text as the words a model streams, each with its trailing space. */
export function words(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [];
}

/** The `retry-after` header a scripted failure asks for, if any. */
export function retryAfter(turn: ScriptedTurn): Record<string, string> {
  return turn.retryAfter === undefined ? {} : { 'retry-after': String(turn.retryAfter) };
}
