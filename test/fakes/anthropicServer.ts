import { createServer, type Server } from 'node:http';
import { listenOnLoopback, readJson } from './openaiServer.js';
import { pieces, retryAfter, type ScriptedTurn, words } from './scriptedTurn.js';

/** A content block of a Messages API request (the ones gitlore sends: text, tool_use, tool_result). */
export interface AnthropicBlock {
  type: string;
  text?: string;
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  content?: unknown;
  is_error?: boolean;
}

export interface AnthropicRequest {
  apiKey: string | undefined;
  version: string | undefined;
  body: {
    model: string;
    max_tokens: number;
    stream?: boolean;
    system?: unknown;
    messages: { role: 'user' | 'assistant'; content: string | AnthropicBlock[] }[];
    tools?: { name: string; description?: string; input_schema: unknown }[];
  };
}

export interface FakeAnthropicServer {
  /** Base URL for ANTHROPIC_BASE_URL (ends in /v1, as the API's does). */
  url: string;
  /** Every request to /v1/messages, refused ones included. */
  requests: AnthropicRequest[];
  close(): Promise<void>;
}

/** The `error.type` Anthropic sends with each status. */
const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/**
 * A loopback server speaking Anthropic's Messages API, `POST /v1/messages` streamed as server-sent
 * events the way the service sends them: message_start, ping, one content block per text and per
 * tool_use (its input streamed as input_json_delta pieces), message_delta with the stop reason and
 * usage, message_stop. The key must come in `x-api-key` with an `anthropic-version`; errors are the
 * service's `{type: 'error', error: {type, message}}` bodies.
 */
export async function startFakeAnthropic(
  apiKey: string,
  script: (request: AnthropicRequest, index: number) => ScriptedTurn,
): Promise<FakeAnthropicServer> {
  const requests: AnthropicRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const body = (await readJson(req)) as AnthropicRequest['body'];
    const fail = (status: number, message: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_fake${requests.length}`, ...headers });
      res.end(JSON.stringify({ type: 'error', error: { type: ERROR_TYPES[status] ?? 'api_error', message } }));
    };
    if (req.method !== 'POST' || req.url !== '/v1/messages') return fail(404, `Not found: ${req.method} ${req.url}`);
    const request = { apiKey: header(req.headers['x-api-key']), version: header(req.headers['anthropic-version']), body };
    requests.push(request);
    if (!request.version) return fail(400, 'anthropic-version: header is required');
    if (request.apiKey !== apiKey) return fail(401, 'invalid x-api-key');
    const turn = script(request, requests.length - 1);
    if (turn.status) return fail(turn.status, turn.error ?? `scripted failure ${turn.status}`, retryAfter(turn));

    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': 'req_fake' });
    const send = (event: string, data: Record<string, unknown>) =>
      res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
    send('message_start', {
      message: {
        id: `msg_fake${requests.length}`,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 100 * requests.length, output_tokens: 1 },
      },
    });
    if (turn.stall) return;
    send('ping', {});
    let index = 0;
    if (turn.text) {
      send('content_block_start', { index, content_block: { type: 'text', text: '' } });
      for (const word of words(turn.text)) send('content_block_delta', { index, delta: { type: 'text_delta', text: word } });
      send('content_block_stop', { index });
      index++;
    }
    for (const call of turn.toolCalls ?? []) {
      const id = `toolu_fake${requests.length}_${index}`;
      send('content_block_start', { index, content_block: { type: 'tool_use', id, name: call.name, input: {} } });
      // The service opens every tool input with an empty delta, then streams the JSON in arbitrary pieces.
      for (const piece of ['', ...pieces(call.arguments)]) {
        send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: piece } });
      }
      send('content_block_stop', { index });
      index++;
    }
    send('message_delta', {
      delta: { stop_reason: turn.toolCalls?.length ? 'tool_use' : 'end_turn', stop_sequence: null },
      usage: { output_tokens: 20 },
    });
    send('message_stop', {});
    res.end();
  });
  const { url, close } = await listenOnLoopback(server);
  return { url: `${url}/v1`, requests, close };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
