/** One server-sent event: its name and its data lines joined. */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Server-sent events from a fetch body (EventSource cannot POST): events end at a blank line, `event:` names one,
 * `data:` lines are joined with newlines, `:` lines are comments (keep-alives).
 */
export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    // A character split between chunks waits for its other bytes; a CR at the end may be half of a CRLF.
    const text = buffer + decoder.decode(value, { stream: !done });
    const held = !done && text.endsWith('\r') ? '\r' : '';
    buffer = text.slice(0, text.length - held.length).replace(/\r\n?/g, '\n') + held;
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const text = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = text;
        else if (field === 'data') data.push(text);
      }
      if (data.length > 0) yield { event, data: data.join('\n') };
      end = buffer.indexOf('\n\n');
    }
    if (done) return;
  }
}
