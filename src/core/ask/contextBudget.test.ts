import type { ModelMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import { CHARS_PER_TOKEN, fitContext } from './contextBudget.js';

const call = (id: string): ModelMessage => ({
  role: 'assistant',
  content: [{ type: 'tool-call', toolCallId: id, toolName: 'get_file', input: { path: id } }],
});
const result = (id: string, chars: number): ModelMessage => ({
  role: 'tool',
  content: [{ type: 'tool-result', toolCallId: id, toolName: 'get_file', output: { type: 'text', value: `${id}:${'x'.repeat(chars)}` } }],
});
const texts = (messages: ModelMessage[]) =>
  messages.flatMap((m) =>
    m.role === 'tool' ? m.content.map((p) => (p.type === 'tool-result' && p.output.type === 'text' ? p.output.value : '')) : [],
  );
const chars = (messages: ModelMessage[]) => JSON.stringify(messages).length;

describe('fitContext', () => {
  const question: ModelMessage = { role: 'user', content: 'how does it work?' };

  it('leaves a conversation that fits as it is', () => {
    const messages = [question, call('a'), result('a', 1000)];
    const fitted = fitContext(messages, { tokens: 1000, fixedChars: 0 });
    expect(fitted.messages).toBe(messages);
    expect(fitted.removedResults).toBe(0);
  });

  it('replaces the oldest tool results with a note until it fits, keeping the latest step whole', () => {
    const messages = [question, call('a'), result('a', 4000), call('b'), result('b', 4000), call('c'), result('c', 4000)];
    const before = JSON.stringify(messages);
    const fitted = fitContext(messages, { tokens: 2500, fixedChars: 500 });
    expect(JSON.stringify(messages)).toBe(before);
    const [a, b, c] = texts(fitted.messages);
    expect(a).toBe('[earlier tool result of 4002 characters removed to stay within the context budget; call the tool again if needed]');
    expect(b).toMatch(/^b:x{4000}$/);
    expect(c).toMatch(/^c:x{4000}$/);
    expect(fitted.removedResults).toBe(1);
    expect(chars(fitted.messages) + 500).toBeLessThanOrEqual(2500 * CHARS_PER_TOKEN);
    expect(fitted.tokens).toBeLessThanOrEqual(2500);
  });

  it('drops earlier thread turns a pair at a time, then cuts the latest results to share what is left', () => {
    const history: ModelMessage[] = [
      { role: 'user', content: `old question ${'q'.repeat(3000)}` },
      { role: 'assistant', content: `old answer ${'a'.repeat(3000)}` },
    ];
    const messages = [...history, question, call('a'), result('a', 6000), call('b'), result('b', 6000)];
    const fitted = fitContext(messages, { tokens: 1000, fixedChars: 400 });
    expect(fitted.droppedTurns).toBe(2);
    expect(fitted.messages[0]).toEqual(question);
    const [a, b] = texts(fitted.messages);
    expect(a).toMatch(/^\[earlier tool result of 6002 characters removed/);
    expect(b).toMatch(/^b:x+\n… \[trimmed: \d+ more characters; ask for a narrower range\]$/);
    expect(fitted.cutResults).toBe(1);
    expect(chars(fitted.messages) + 400).toBeLessThanOrEqual(1000 * CHARS_PER_TOKEN);
  });

  it('counts the characters as sent: escaped newlines and quotes too', () => {
    const code = 'line "one"\n'.repeat(600);
    const messages: ModelMessage[] = [
      question,
      call('a'),
      { role: 'tool', content: [{ type: 'tool-result', toolCallId: 'a', toolName: 'get_file', output: { type: 'text', value: code } }] },
    ];
    const fitted = fitContext(messages, { tokens: 1000, fixedChars: 0 });
    expect(fitted.cutResults).toBe(1);
    expect(chars(fitted.messages)).toBeLessThanOrEqual(1000 * CHARS_PER_TOKEN);
  });
});
