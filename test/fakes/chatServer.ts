import { createServer, type Server } from 'node:http';
import { listenOnLoopback, readJson } from './openaiServer.js';
import { retryAfter, type ScriptedTurn, words } from './scriptedTurn.js';

export type { ScriptedTurn } from './scriptedTurn.js';

export interface ChatRequest {
  auth: string | undefined;
  body: {
    model: string;
    stream?: boolean;
    messages: { role: string; content?: unknown; tool_calls?: unknown[]; tool_call_id?: string }[];
    tools?: { function: { name: string } }[];
    tool_choice?: unknown;
  };
}

export interface FakeChatServer {
  /** Base URL for OPENAI_BASE_URL (ends in /v1). */
  url: string;
  requests: ChatRequest[];
  /** Indexes (into `requests`) of the requests whose client went away before the answer was complete. */
  abandoned: number[];
  close(): Promise<void>;
}

/**
 * A loopback server speaking OpenAI's `POST /v1/chat/completions` wire protocol, streamed as
 * server-sent events the way OpenAI sends them (tool calls split across chunks, usage last), with
 * each answer scripted by the test from the request it gets.
 */
export async function startFakeChat(script: (request: ChatRequest, index: number) => ScriptedTurn): Promise<FakeChatServer> {
  const requests: ChatRequest[] = [];
  const abandoned: number[] = [];
  const server: Server = createServer(async (req, res) => {
    const body = (await readJson(req)) as ChatRequest['body'];
    const request = { auth: req.headers.authorization, body };
    requests.push(request);
    const index = requests.length - 1;
    res.on('close', () => {
      if (!res.writableFinished) abandoned.push(index);
    });
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: { message: 'not found' } }));
    }
    const turn = script(request, index);
    if (turn.status) {
      res.writeHead(turn.status, { 'content-type': 'application/json', ...retryAfter(turn) });
      return res.end(
        JSON.stringify({ error: { message: turn.error ?? `scripted failure ${turn.status}`, type: 'invalid_request_error', code: null } }),
      );
    }
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json' });
      const toolCalls = (turn.toolCalls ?? []).map((call, i) => ({ id: `call_${i}`, type: 'function', function: call }));
      return res.end(
        JSON.stringify({
          id: `chatcmpl-${requests.length}`,
          object: 'chat.completion',
          created: 1_700_000_000,
          model: body.model,
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: turn.text ?? null, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
              finish_reason: toolCalls.length ? 'tool_calls' : 'stop',
            },
          ],
          usage: { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 },
        }),
      );
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const base = { id: `chatcmpl-${requests.length}`, object: 'chat.completion.chunk', created: 1_700_000_000, model: body.model };
    const send = (payload: unknown) => res.write(`data: ${JSON.stringify(payload)}\n\n`);
    const chunk = async (delta: unknown, finish: string | null = null) => {
      if (turn.chunkDelayMs) await new Promise((r) => setTimeout(r, turn.chunkDelayMs));
      if (!res.destroyed) send({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] });
    };
    send({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
    if (turn.stall) return;
    for (const [i, call] of (turn.toolCalls ?? []).entries()) {
      const half = Math.floor(call.arguments.length / 2);
      await chunk({
        tool_calls: [
          {
            index: i,
            id: `call_${requests.length}_${i}`,
            type: 'function',
            function: { name: call.name, arguments: call.arguments.slice(0, half) },
          },
        ],
      });
      await chunk({ tool_calls: [{ index: i, function: { arguments: call.arguments.slice(half) } }] });
    }
    for (const word of words(turn.text ?? '')) {
      if (res.destroyed) return;
      await chunk({ content: word });
    }
    if (turn.stallAfterContent || res.destroyed) return;
    await chunk({}, turn.toolCalls?.length ? 'tool_calls' : 'stop');
    send({
      ...base,
      choices: [],
      usage: { prompt_tokens: 100 * requests.length, completion_tokens: 20, total_tokens: 100 * requests.length + 20 },
    });
    res.end('data: [DONE]\n\n');
  });
  const { url, close } = await listenOnLoopback(server);
  return { url: `${url}/v1`, requests, abandoned, close };
}
