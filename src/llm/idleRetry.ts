import { type LanguageModel, type LanguageModelMiddleware, wrapLanguageModel } from 'ai';

type WrapStream = NonNullable<LanguageModelMiddleware['wrapStream']>;
type StreamResult = Awaited<ReturnType<WrapStream>>;
type StreamPart = StreamResult['stream'] extends ReadableStream<infer P> ? P : never;

/** Parts a provider sends before the model has produced anything (the HTTP answer began, nothing more). */
const PREAMBLE: ReadonlySet<string> = new Set(['stream-start', 'response-metadata', 'raw']);

/** A model request whose stream sent nothing for the idle time, after the retries allowed. */
export class IdleTimeoutError extends Error {
  override readonly name = 'IdleTimeoutError';
  constructor(
    readonly idleMs: number,
    /** Requests sent for this model step, the stalled retries included. */
    readonly attempts: number,
    /** True when the stall came after content had been passed on, which a retry could not take back. */
    readonly midAnswer: boolean,
  ) {
    super(
      midAnswer
        ? `The model stream stopped for ${idleMs} ms in the middle of its answer.`
        : `The model sent nothing for ${idleMs} ms (${attempts} request${attempts === 1 ? '' : 's'}).`,
    );
  }
}

/** The model with `idleRetryMiddleware`; a model given by id string (the AI gateway) is returned as is. */
export function withIdleRetry(model: LanguageModel, idleMs: number): LanguageModel {
  return typeof model === 'string' ? model : wrapLanguageModel({ model, middleware: idleRetryMiddleware({ idleMs }) });
}

/**
 * A stalled model stream is aborted after `idleMs` without a part, and, while nothing of it has been
 * passed on yet, sent again (`retries` times). A stall after content was passed on fails at once: the
 * loop above has already shown that content, so a second answer could not replace it.
 */
export function idleRetryMiddleware({ idleMs, retries = 1 }: { idleMs: number; retries?: number }): LanguageModelMiddleware {
  return {
    specificationVersion: 'v4',
    wrapStream: async ({ model, params }) => {
      for (let attempt = 1; ; attempt++) {
        const request = new AbortController();
        const abortSignal = params.abortSignal ? AbortSignal.any([params.abortSignal, request.signal]) : request.signal;
        const started = await firstContent(() => model.doStream({ ...params, abortSignal }), request, idleMs);
        if (started) return { ...started.result, stream: continueStream(started, request, idleMs, attempt) };
        params.abortSignal?.throwIfAborted();
        if (attempt > retries) throw new IdleTimeoutError(idleMs, attempt, false);
      }
    },
  };
}

interface Started {
  result: StreamResult;
  reader: ReadableStreamDefaultReader<StreamPart>;
  /** The preamble and the first content part, to pass on first. */
  head: StreamPart[];
}

/** Sends the request and reads up to its first content part; null when the idle time passed first (the request is then aborted). */
async function firstContent(send: () => PromiseLike<StreamResult>, request: AbortController, idleMs: number): Promise<Started | null> {
  const idle = idleTimer(request, idleMs);
  let reader: ReadableStreamDefaultReader<StreamPart> | undefined;
  try {
    const result = await idle.race(send());
    if (result === IDLE) return null;
    reader = result.stream.getReader();
    const head: StreamPart[] = [];
    for (;;) {
      const next = await idle.race(reader.read());
      if (next === IDLE) {
        void reader.cancel().catch(() => {});
        return null;
      }
      if (next.done || !PREAMBLE.has(next.value.type)) {
        if (!next.done) head.push(next.value);
        return { result, reader, head };
      }
      head.push(next.value);
      idle.reset();
    }
  } catch (error) {
    // The abort of a stalled request surfaces as the request's own error: it is the stall, not a failure.
    if (idle.fired) return null;
    throw error;
  } finally {
    idle.clear();
  }
}

/** The rest of the stream, each part due within the idle time; a stall aborts the request and errors with IdleTimeoutError. */
function continueStream(started: Started, request: AbortController, idleMs: number, attempt: number): ReadableStream<StreamPart> {
  const { reader, head } = started;
  let idle: ReturnType<typeof idleTimer> | undefined;
  return new ReadableStream<StreamPart>({
    start(controller) {
      for (const part of head) controller.enqueue(part);
    },
    async pull(controller) {
      idle = idleTimer(request, idleMs);
      try {
        const next = await idle.race(reader.read());
        if (next === IDLE) {
          void reader.cancel().catch(() => {});
          controller.error(new IdleTimeoutError(idleMs, attempt, true));
        } else if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (error) {
        controller.error(idle.fired ? new IdleTimeoutError(idleMs, attempt, true) : error);
      } finally {
        idle.clear();
      }
    },
    async cancel(reason) {
      idle?.clear();
      await reader.cancel(reason);
    },
  });
}

const IDLE = Symbol('idle');

/** A timer that aborts the request when it fires; `race` settles with IDLE then, whatever the request does. */
function idleTimer(request: AbortController, idleMs: number) {
  let timer: NodeJS.Timeout | undefined;
  let fire: () => void = () => {};
  const fired = new Promise<typeof IDLE>((resolve) => {
    fire = () => resolve(IDLE);
  });
  const state = {
    fired: false,
    reset() {
      clearTimeout(timer);
      timer = setTimeout(() => {
        state.fired = true;
        request.abort(new IdleTimeoutError(idleMs, 0, false));
        fire();
      }, idleMs);
    },
    clear() {
      clearTimeout(timer);
    },
    race<T>(promise: PromiseLike<T>): Promise<T | typeof IDLE> {
      return Promise.race([promise, fired]);
    },
  };
  state.reset();
  return state;
}
