import type { IncomingMessage } from 'node:http';
import { createServer, type Http2Server } from 'node:http2';
import { fakeVector, listenOnLoopback, readJson } from './openaiServer.js';

/**
 * A loopback HTTP/2 server (the SDK's Bedrock runtime client speaks only HTTP/2, as the service
 * does; here in clear text) speaking the `POST /model/{modelId}/invoke` protocol for
 * Titan text embeddings (one `inputText` per call) and Cohere embed models (`texts`). Requests
 * must carry a SigV4 `Authorization` header for the expected access key id; others get the
 * service's 403 `UnrecognizedClientException`, and models not listed a 400 `ValidationException`.
 */
export interface FakeBedrockServer {
  url: string;
  requests: { path: string; authorization: string; body: unknown }[];
  close(): Promise<void>;
}

export async function startFakeBedrock(options: { accessKeyId: string; models?: string[]; dims?: number }): Promise<FakeBedrockServer> {
  const models = options.models ?? ['amazon.titan-embed-text-v2:0', 'cohere.embed-english-v3'];
  const requests: FakeBedrockServer['requests'] = [];
  const server: Http2Server = createServer(async (req, res) => {
    const body = (await readJson(req as unknown as IncomingMessage)) as { inputText?: string; texts?: string[] } | null;
    const authorization = String(req.headers.authorization ?? '');
    requests.push({ path: req.url ?? '', authorization, body });
    const send = (status: number, payload: unknown, errorType?: string) => {
      res.writeHead(status, { 'content-type': 'application/json', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
      res.end(JSON.stringify(payload));
    };
    const match = /^\/model\/([^/]+)\/invoke$/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) return send(404, { message: 'Not Found' }, 'UnknownOperationException');
    if (!authorization.startsWith(`AWS4-HMAC-SHA256 Credential=${options.accessKeyId}/`)) {
      return send(403, { message: 'The security token included in the request is invalid.' }, 'UnrecognizedClientException');
    }
    const model = decodeURIComponent(match[1] ?? '');
    if (!models.includes(model)) return send(400, { message: 'The provided model identifier is invalid.' }, 'ValidationException');
    if (model.startsWith('cohere.')) {
      const texts = body?.texts ?? [];
      return send(200, {
        id: 'fake',
        texts,
        embeddings: texts.map((t) => fakeVector(t, options.dims)),
        response_type: 'embeddings_floats',
      });
    }
    const text = body?.inputText ?? '';
    send(200, { embedding: fakeVector(text, options.dims), inputTextTokenCount: text.split(/\s+/).length });
  });
  return { ...(await listenOnLoopback(server)), requests };
}
