import { createServer, type Server } from 'node:http';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { listenOnLoopback, readJson } from './openaiServer.js';
import { pieces, retryAfter, type ScriptedTurn, words } from './scriptedTurn.js';

/** A content block of a Converse request (the ones gitlore sends: text, toolUse, toolResult). */
export interface ConverseBlock {
  text?: string;
  toolUse?: { toolUseId: string; name: string; input: unknown };
  toolResult?: { toolUseId: string; content: { text?: string; json?: unknown }[]; status?: string };
}

export interface ConverseRequest {
  modelId: string;
  authorization: string;
  body: {
    messages: { role: 'user' | 'assistant'; content: ConverseBlock[] }[];
    system?: { text: string }[];
    toolConfig?: { tools: { toolSpec: { name: string; description?: string; inputSchema: { json: unknown } } }[] };
    inferenceConfig?: unknown;
  };
}

export interface FakeBedrockChatServer {
  /** Endpoint for AWS_ENDPOINT_URL_BEDROCK_RUNTIME. */
  url: string;
  /** Every request to /model/{modelId}/converse-stream, refused ones included. */
  requests: ConverseRequest[];
  close(): Promise<void>;
}

/** The error type (`x-amzn-errortype`) the Bedrock runtime sends with each status. */
const ERROR_TYPES: Record<number, string> = {
  400: 'ValidationException',
  403: 'AccessDeniedException',
  404: 'ResourceNotFoundException',
  408: 'ModelTimeoutException',
  424: 'ModelErrorException',
  429: 'ThrottlingException',
  500: 'InternalServerException',
  503: 'ServiceUnavailableException',
};

/**
 * A loopback server speaking the Bedrock runtime's ConverseStream API, `POST /model/{modelId}/converse-stream`
 * answered with `application/vnd.amazon.eventstream` frames as the service sends them: messageStart,
 * text as contentBlockDelta {text}, each tool use as contentBlockStart {toolUse: {toolUseId, name}} then
 * its input JSON in contentBlockDelta pieces, contentBlockStop, messageStop with the stop reason, and
 * metadata with the usage; every event padded with `p` as the service pads them. Requests must carry a
 * SigV4 `Authorization` for the expected access key id; others get the service's 403
 * `UnrecognizedClientException`. Plain HTTP/1.1: the AI SDK's Bedrock provider calls it with fetch.
 */
export async function startFakeBedrockChat(
  accessKeyId: string,
  script: (request: ConverseRequest, index: number) => ScriptedTurn,
): Promise<FakeBedrockChatServer> {
  const codec = new EventStreamCodec(toUtf8, fromUtf8);
  const requests: ConverseRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const body = (await readJson(req)) as ConverseRequest['body'];
    const fail = (status: number, type: string, message: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, {
        'content-type': 'application/json',
        'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
        'x-amzn-requestid': `fake-${requests.length}`,
        ...headers,
      });
      res.end(JSON.stringify({ message }));
    };
    const match = /^\/model\/([^/]+)\/converse-stream$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) return fail(404, 'UnknownOperationException', 'Not Found');
    const request = { modelId: decodeURIComponent(match[1] ?? ''), authorization: String(req.headers.authorization ?? ''), body };
    requests.push(request);
    if (!request.authorization.startsWith(`AWS4-HMAC-SHA256 Credential=${accessKeyId}/`)) {
      return fail(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    }
    const turn = script(request, requests.length - 1);
    if (turn.status) {
      const type = ERROR_TYPES[turn.status] ?? 'InternalServerException';
      return fail(turn.status, type, turn.error ?? `scripted failure ${turn.status}`, retryAfter(turn));
    }

    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': 'fake' });
    const send = (eventType: string, payload: Record<string, unknown>) =>
      res.write(
        codec.encode({
          headers: {
            ':event-type': { type: 'string', value: eventType },
            ':content-type': { type: 'string', value: 'application/json' },
            ':message-type': { type: 'string', value: 'event' },
          },
          body: fromUtf8(JSON.stringify({ ...payload, p: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ'.slice(0, 5 + (requests.length % 20)) })),
        }),
      );
    send('messageStart', { role: 'assistant' });
    if (turn.stall) return;
    let index = 0;
    if (turn.text) {
      for (const word of words(turn.text)) send('contentBlockDelta', { contentBlockIndex: index, delta: { text: word } });
      send('contentBlockStop', { contentBlockIndex: index });
      index++;
    }
    for (const call of turn.toolCalls ?? []) {
      const toolUseId = `tooluse_fake${requests.length}_${index}`;
      send('contentBlockStart', { contentBlockIndex: index, start: { toolUse: { toolUseId, name: call.name } } });
      for (const piece of pieces(call.arguments)) {
        send('contentBlockDelta', { contentBlockIndex: index, delta: { toolUse: { input: piece } } });
      }
      send('contentBlockStop', { contentBlockIndex: index });
      index++;
    }
    send('messageStop', { stopReason: turn.toolCalls?.length ? 'tool_use' : 'end_turn' });
    const inputTokens = 100 * requests.length;
    send('metadata', { usage: { inputTokens, outputTokens: 20, totalTokens: inputTokens + 20 }, metrics: { latencyMs: 5 } });
    res.end();
  });
  return { ...(await listenOnLoopback(server)), requests };
}
