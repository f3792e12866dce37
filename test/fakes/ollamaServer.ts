import { createServer, type Server } from 'node:http';
import { fakeVector, listenOnLoopback, readJson } from './openaiServer.js';

/** A loopback server speaking Ollama's `POST /api/embed` protocol, with a fixed set of pulled models. */
export interface FakeOllamaServer {
  url: string;
  requests: { path: string; body: unknown }[];
  close(): Promise<void>;
}

export async function startFakeOllama(
  options: {
    models?: string[];
    dims?: number;
    /** Each embed request waits for this (a test holds an indexer in its embedding phase). */
    gate?: Promise<void>;
  } = {},
): Promise<FakeOllamaServer> {
  const models = options.models ?? ['nomic-embed-text'];
  const requests: FakeOllamaServer['requests'] = [];
  const server: Server = createServer(async (req, res) => {
    const body = (await readJson(req)) as { model?: string; input?: string | string[] };
    requests.push({ path: req.url ?? '', body });
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (req.method !== 'POST' || req.url !== '/api/embed') return send(404, { error: '404 page not found' });
    const model = body?.model ?? '';
    if (!models.includes(model) && !models.includes(`${model}:latest`)) {
      return send(404, { error: `model "${model}" not found, try pulling it first` });
    }
    const inputs = Array.isArray(body.input) ? body.input : [body.input ?? ''];
    await options.gate;
    send(200, { model, embeddings: inputs.map((t) => fakeVector(t, options.dims)), total_duration: 1, prompt_eval_count: inputs.length });
  });
  return { ...(await listenOnLoopback(server)), requests };
}
