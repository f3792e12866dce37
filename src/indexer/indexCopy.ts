import type { Embedder } from '../embeddings/embedder.js';
import type { IndexFileInput, RepoRecord, Store } from '../store/index.js';
import { embedPending } from './embed.js';
import { prepareFile } from './prepareFile.js';
import type { Preparer } from './preparePool.js';

export interface IndexCopyOptions {
  /** A file's content as the copy should hold it (the same string when unchanged). */
  transform: (path: string, content: string) => string;
  /** Vectors of this model are copied by chunk hash; chunks the transform changed are embedded. */
  embedder: Embedder | null;
  /** Parser workers (the indexer's pool); files are parsed on this thread when absent. */
  preparer?: Preparer;
  signal?: AbortSignal;
}

const PAGE = 100;

/**
 * Indexes a copy of one repository's indexed files into another store, each file's content passed through `transform`
 * and parsed again, without reading git: what the ranker's learning uses as the index of the repository with some doc
 * sentences deleted. Returns the copy's repository id.
 */
export async function copyRepositoryIndex(source: Store, target: Store, repo: RepoRecord, o: IndexCopyOptions): Promise<number> {
  const copy = await target.repos.upsert({
    name: repo.name,
    sourceType: repo.sourceType,
    sourceKey: repo.sourceKey,
    fullName: repo.fullName,
    cloneUrl: repo.cloneUrl,
    localPath: repo.localPath,
  });
  const blobs = [...(await source.index.fileBlobs(repo.id))];
  const vectorOf = new Map<string, number>();
  const prepare = o.preparer?.prepare ?? prepareFile;
  for (let i = 0; i < blobs.length; i += PAGE) {
    o.signal?.throwIfAborted();
    const page = blobs.slice(i, i + PAGE);
    const ids = await Promise.all(page.map(([path]) => source.index.fileId(repo.id, path)));
    const found = ids.filter((id): id is number => id !== null);
    const contents = await source.index.fileContents(found);
    for (const id of found) for (const c of await source.index.chunksAt(id, 1, Number.MAX_SAFE_INTEGER)) vectorOf.set(c.hash, c.id);
    const files = await Promise.all(
      page.map(async ([path, blob], k): Promise<IndexFileInput | null> => {
        const id = ids[k];
        const content = id === null || id === undefined ? undefined : contents.get(id);
        if (content === undefined) return null;
        const text = o.transform(path, content);
        const raw = Buffer.from(text, 'utf8');
        const prepared = await prepare(path, text === content ? blob : `${blob}~`, raw);
        return { ...prepared, content: raw };
      }),
    );
    await target.index.applyBatch(copy.id, { remove: [], add: files.filter((f): f is IndexFileInput => f !== null) });
  }
  if (o.embedder) await copyVectors(source, target, copy.id, vectorOf, o);
  return copy.id;
}

/** The copy's vectors: by hash from the source where the chunk is unchanged, else embedded. */
async function copyVectors(
  source: Store,
  target: Store,
  copyId: number,
  vectorOf: Map<string, number>,
  o: IndexCopyOptions,
): Promise<void> {
  const model = o.embedder!.id;
  let cursor = 0;
  for (;;) {
    const missing = await target.index.missingVectors(model, 500, [copyId], cursor);
    if (missing.length === 0) break;
    cursor = missing.at(-1)!.id;
    const known = missing.filter((m) => vectorOf.has(m.hash));
    const vectors = await source.index.vectorsOf(
      model,
      known.map((m) => vectorOf.get(m.hash)!),
    );
    const rows = known.flatMap((m) => {
      const vector = vectors.get(vectorOf.get(m.hash)!);
      return vector ? [{ hash: m.hash, vector }] : [];
    });
    if (rows.length > 0) await target.index.putVectors(model, rows);
  }
  await embedPending(target, o.embedder!, { repoIds: [copyId], signal: o.signal });
}
