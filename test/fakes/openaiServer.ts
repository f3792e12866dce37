import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';

/**
 * A loopback server speaking OpenAI's `POST /v1/embeddings` wire protocol.
 * Vectors are deterministic bag-of-words hashes, so similar texts get similar vectors.
 */
export interface FakeOpenAiServer {
  url: string;
  /** Every request body received, in order. */
  requests: { path: string; auth: string | undefined; body: unknown }[];
  /** Make the next N requests fail with this status. */
  failNext(status: number, count?: number): void;
  close(): Promise<void>;
}

export const FAKE_DIMS = 64;

export function fakeVector(text: string, dims = FAKE_DIMS): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let h = 2166136261;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619);
    v[(h >>> 0) % dims] += 1;
  }
  v[0] += 0.01;
  return v;
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return JSON.parse(Buffer.concat(parts).toString('utf8') || 'null');
}

/** Starts a fake on a free loopback port: its base URL and a close that waits for it to stop. */
export async function listenOnLoopback(server: Server | Http2Server): Promise<{ url: string; close: () => Promise<void> }> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export async function startFakeOpenAi(options: { apiKey?: string; dims?: number } = {}): Promise<FakeOpenAiServer> {
  const requests: FakeOpenAiServer['requests'] = [];
  let failures: { status: number; count: number } = { status: 0, count: 0 };
  const server: Server = createServer(async (req, res) => {
    const body = (await readJson(req)) as { model?: string; input?: string | string[] };
    requests.push({ path: req.url ?? '', auth: req.headers.authorization, body });
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (failures.count > 0) {
      failures.count--;
      return send(failures.status, { error: { message: 'injected failure', type: 'server_error', code: null } });
    }
    if (req.method !== 'POST' || req.url !== '/v1/embeddings') return send(404, { error: { message: 'not found' } });
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return send(401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } });
    }
    if (!body?.model || body.input === undefined) return send(400, { error: { message: 'model and input are required' } });
    const inputs = Array.isArray(body.input) ? body.input : [body.input];
    // Answer out of order, as the protocol allows: clients must use `index`.
    const data = inputs.map((text, index) => ({ object: 'embedding', index, embedding: fakeVector(text, options.dims) })).reverse();
    send(200, { object: 'list', data, model: body.model, usage: { prompt_tokens: inputs.length, total_tokens: inputs.length } });
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    url: `${url}/v1`,
    requests,
    failNext(status, count = 1) {
      failures = { status, count };
    },
    close,
  };
}
