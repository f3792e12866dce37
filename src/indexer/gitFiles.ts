import { BlobReader, type GitCredentials, lsTree } from '../git/index.js';

export { BlobReader };

export interface TreeEntry {
  path: string;
  blob: string;
  size: number;
}

/** Regular files of a commit with their blob ids and sizes (symlinks and submodules left out). */
export async function listTree(
  cwd: string,
  commit: string,
  signal?: AbortSignal,
  credentials?: GitCredentials | null,
): Promise<TreeEntry[]> {
  const entries = await lsTree(cwd, commit, { signal, credentials });
  return entries.filter((e) => e.mode !== '120000').map(({ path, blob, size }) => ({ path, blob, size }));
}
