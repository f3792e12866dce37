import { describe, expect, it } from 'vitest';
import type { Store } from '../store/index.js';
import { corpusTexts } from './embed.js';

/** A store whose index holds these files, numbered in the order given (the order they were written). */
function storeOf(files: string[]): Store {
  const rows = files.map((content, i) => ({
    fileId: i + 1,
    content,
    chunks: content.split('\n').map((_, line) => ({ startLine: line + 1, endLine: line + 1, context: null })),
  }));
  const index = { fileChunks: async (after: number, limit: number) => rows.filter((f) => f.fileId > after).slice(0, limit) };
  return { index } as unknown as Store;
}

describe('corpusTexts', () => {
  it('samples the same chunks whatever order the files were written in', async () => {
    const files = Array.from({ length: 60 }, (_, f) => Array.from({ length: 5 }, (_, l) => `const v${f}_${l} = ${f * l};`).join('\n'));
    const written = await corpusTexts(storeOf(files), { stride: 3 });
    const reversed = await corpusTexts(storeOf([...files].reverse()), { stride: 3 });
    expect(written.length).toBeGreaterThan(60);
    expect(written.length).toBeLessThan(150);
    expect([...reversed].sort()).toEqual([...written].sort());
  });
});
