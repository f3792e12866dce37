import { wrapLanguageModel } from 'ai';
import { MockLanguageModelV4 } from 'ai/test';
import { describe, expect, it } from 'vitest';
import { IdleTimeoutError, idleRetryMiddleware } from './idleRetry.js';

type Model = MockLanguageModelV4;
type Params = Parameters<Model['doStream']>[0];
type Part = Awaited<ReturnType<Model['doStream']>>['stream'] extends ReadableStream<infer P> ? P : never;

const IDLE_MS = 50;
const TEXT: Part[] = [
  { type: 'text-start', id: 't' },
  { type: 'text-delta', id: 't', delta: 'hello' },
  { type: 'text-end', id: 't' },
  { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: usage() },
];

/** A model whose n-th request sends `parts`, then stalls (`stall`) or ends; a stalled stream errors when its request is aborted. */
function scripted(turns: { parts: Part[]; stall?: boolean }[]): { model: Model; signals: (AbortSignal | undefined)[] } {
  const signals: (AbortSignal | undefined)[] = [];
  const model = new MockLanguageModelV4({
    doStream: async (params: Params) => {
      signals.push(params.abortSignal);
      const turn = turns[signals.length - 1] ?? { parts: TEXT };
      return {
        stream: new ReadableStream<Part>({
          start(controller) {
            controller.enqueue({ type: 'stream-start', warnings: [] });
            for (const part of turn.parts) controller.enqueue(part);
            if (!turn.stall) return controller.close();
            params.abortSignal?.addEventListener('abort', () => controller.error(params.abortSignal?.reason));
          },
        }),
      };
    },
  });
  return { model, signals };
}

async function readAll(model: Model, abortSignal?: AbortSignal): Promise<Part[]> {
  const wrapped = wrapLanguageModel({ model, middleware: idleRetryMiddleware({ idleMs: IDLE_MS }) });
  const { stream } = await wrapped.doStream({ prompt: [], abortSignal });
  const parts: Part[] = [];
  for await (const part of stream) parts.push(part as Part);
  return parts;
}

describe('idleRetryMiddleware', () => {
  it('aborts a request that sends nothing within the idle time and sends it once more', async () => {
    const { model, signals } = scripted([{ parts: [], stall: true }, { parts: TEXT }]);
    const parts = await readAll(model);
    expect(parts.map((p) => p.type)).toEqual(['stream-start', 'text-start', 'text-delta', 'text-end', 'finish']);
    expect(signals).toHaveLength(2);
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[1]?.aborted).toBe(false);
  });

  it('fails with IdleTimeoutError when the retry stalls too', async () => {
    const { model, signals } = scripted([
      { parts: [], stall: true },
      { parts: [], stall: true },
    ]);
    const t0 = Date.now();
    const error = await readAll(model).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdleTimeoutError);
    expect(error).toMatchObject({ attempts: 2, midAnswer: false });
    expect(Date.now() - t0).toBeLessThan(IDLE_MS * 2 + 500);
    expect(signals.every((s) => s?.aborted)).toBe(true);
  });

  it('does not retry a stall after content was passed on: the stream errors mid-answer', async () => {
    const { model, signals } = scripted([{ parts: TEXT.slice(0, 2), stall: true }]);
    const wrapped = wrapLanguageModel({ model, middleware: idleRetryMiddleware({ idleMs: IDLE_MS }) });
    const { stream } = await wrapped.doStream({ prompt: [] });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const part of stream) seen.push(part.type);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['stream-start', 'text-start', 'text-delta']);
    expect(error).toMatchObject({ name: 'IdleTimeoutError', midAnswer: true });
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
  });

  it('an abort from the caller is not a stall: no retry', async () => {
    const { model, signals } = scripted([{ parts: [], stall: true }]);
    const caller = new AbortController();
    setTimeout(() => caller.abort(new Error('client went away')), IDLE_MS / 2);
    await expect(readAll(model, caller.signal)).rejects.toThrow('client went away');
    expect(signals).toHaveLength(1);
  });
});

function usage() {
  return {
    inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
    outputTokens: { total: 1, text: 1, reasoning: 0 },
  };
}
