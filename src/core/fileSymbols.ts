import type { RequestContext } from './context.js';
import { safeRepoPath } from './files.js';
import { resolveRepo } from './repoGate.js';

export interface FileSymbol {
  name: string;
  qualifiedName: string;
  kind: string;
  signature: string;
  startLine: number;
  endLine: number;
}

/** The definitions the index found in one file (as of the last index run), by line; [] when the file is not indexed. */
export async function fileSymbols(params: { repo: string; path: string }, ctx: RequestContext): Promise<FileSymbol[]> {
  ctx.signal.throwIfAborted();
  const repo = await resolveRepo(ctx, params.repo);
  const index = ctx.services.store.index;
  const fileId = await index.fileId(repo.id, safeRepoPath(params.path));
  if (fileId === null) return [];
  return (await index.fileSymbols(fileId)).map((s) => ({
    name: s.name,
    qualifiedName: s.qualified,
    kind: s.kind,
    signature: s.signature,
    startLine: s.startLine,
    endLine: s.endLine,
  }));
}
