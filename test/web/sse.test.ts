import { describe, expect, it } from 'vitest';
import { readEvents, type SseEvent } from '../../web/src/sse.js';

/** A body delivering these pieces, as the network splits a stream anywhere. */
function body(...pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
}

async function all(stream: ReadableStream<Uint8Array>): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const event of readEvents(stream)) out.push(event);
  return out;
}

describe("the chat page's server-sent event reader (web/src/sse.ts)", () => {
  it('reads events split at any byte, skips keep-alive comments, joins data lines', async () => {
    const text =
      'event: step\ndata: {"state":"started"}\n\n: keep-alive\n\nevent: text\ndata: {"delta":"a\\nb"}\n\ndata: one\ndata: two\n\n';
    const expected = [
      { event: 'step', data: '{"state":"started"}' },
      { event: 'text', data: '{"delta":"a\\nb"}' },
      { event: 'message', data: 'one\ntwo' },
    ];
    expect(await all(body(text))).toEqual(expected);
    for (let cut = 1; cut < text.length; cut += 7) expect(await all(body(text.slice(0, cut), text.slice(cut)))).toEqual(expected);
  });

  it('takes CRLF line ends and multi-byte characters split across chunks', async () => {
    const bytes = new TextEncoder().encode('event: text\r\ndata: {"delta":"héllo — ✓"}\r\n\r\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const b of bytes) controller.enqueue(new Uint8Array([b]));
        controller.close();
      },
    });
    expect(await all(stream)).toEqual([{ event: 'text', data: '{"delta":"héllo — ✓"}' }]);
    expect(await all(body('data: a\r', '\ndata: b\r', '\r'))).toEqual([{ event: 'message', data: 'a\nb' }]);
  });

  it('drops an unfinished event at the end of the stream', async () => {
    expect(await all(body('event: done\ndata: {"threadId":"x"}\n\nevent: done\ndata: {"half'))).toEqual([
      { event: 'done', data: '{"threadId":"x"}' },
    ]);
  });
});
