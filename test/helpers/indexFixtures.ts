import type { Store } from '../../src/store/index.js';
import { indexCodec } from '../../src/store/indexCodec.js';
import type { IndexFileInput, IndexSymbolInput } from '../../src/store/indexStore.js';
import type { BackendStore } from './backends.js';

/** A store of the backend with one registered repository (more with `names`). */
export async function storeWithRepos(
  open: () => Promise<BackendStore>,
  names: string[] = ['r'],
): Promise<{ store: Store; repoId: number; repoIds: number[]; reopen: () => Promise<Store> }> {
  const { store, dir, reopen } = await open();
  const repoIds: number[] = [];
  for (const name of names) {
    repoIds.push(
      (await store.repos.upsert({ name, sourceType: 'local', sourceKey: 'k', fullName: name, cloneUrl: dir, localPath: dir })).id,
    );
  }
  return { store, repoId: repoIds[0]!, repoIds, reopen };
}

/** One file with one chunk per line (its FTS columns as given), chunk hashes `path:i`. */
export function fileWithChunks(
  path: string,
  language: string,
  chunks: { symbol: string; body: string; doc?: string }[],
  symbols: IndexSymbolInput[] = [],
): IndexFileInput {
  const content = chunks.map((c) => c.body).join('\n');
  return {
    path,
    blob: `blob-${path}`,
    language,
    size: content.length,
    content: Buffer.from(content),
    grams: indexCodec.prefilterTerms(content),
    symbols,
    chunks: chunks.map((c, i) => ({
      startLine: i + 1,
      endLine: i + 1,
      kind: 'function',
      symbol: c.symbol || null,
      doc: c.doc ?? null,
      context: null,
      hash: `${path}:${i}`,
      fts: { symbol: c.symbol, path, doc: c.doc ?? '', body: c.body },
    })),
  };
}

/** A symbol row on one line. */
export function symbolAt(name: string, line: number, kind = 'function', qualified = name): IndexSymbolInput {
  return { name, qualified, kind, signature: `${name}()`, startLine: line, endLine: line };
}
