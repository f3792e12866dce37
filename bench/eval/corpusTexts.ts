/**
 * Every indexed chunk's embedding text, read file by file so memory stays at the
 * size of the texts (not one file copy per chunk). Used to learn the code-vector model.
 */
import { embedText } from '../../src/indexer/embed.js';
import type { Store } from '../../src/store/index.js';

export async function corpusTexts(store: Store): Promise<string[]> {
  const out: string[] = [];
  const step = 5000;
  let empty = 0;
  for (let start = 1; empty < 20; start += step) {
    const ids = Array.from({ length: step }, (_, i) => start + i);
    const chunks = await store.index.chunks(ids);
    if (chunks.length === 0) {
      empty++;
      continue;
    }
    empty = 0;
    const byFile = new Map<number, typeof chunks>();
    for (const c of chunks) byFile.set(c.fileId, [...(byFile.get(c.fileId) ?? []), c]);
    for (const [fileId, list] of byFile) {
      const content = await store.index.fileContent(fileId);
      if (content === null) continue;
      for (const c of list) out.push(embedText(content, c));
    }
  }
  return out;
}
