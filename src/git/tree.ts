import { type GitOptions, runGit } from './git.js';

export interface TreeEntry {
  path: string;
  /** `100644`, `100755`, `120000` (symlink). */
  mode: string;
  blob: string;
  size: number;
}

/** Every blob of a commit's tree (symlinks included, submodules left out), recursively, with sizes. */
export async function lsTree(cwd: string, commit: string, options: Omit<GitOptions, 'cwd'> = {}): Promise<TreeEntry[]> {
  const out = (await runGit(['ls-tree', '-r', '-l', '-z', '--full-tree', commit], { ...options, cwd })).stdout;
  const entries: TreeEntry[] = [];
  for (const record of out.split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [mode = '', type, blob, size] = record.slice(0, tab).split(/\s+/);
    if (type !== 'blob') continue;
    entries.push({ path: record.slice(tab + 1), mode, blob: blob ?? '', size: Number(size) || 0 });
  }
  return entries;
}

/**
 * The bytes of a file at a revision (`git cat-file blob <rev>:<path>`), or null when the
 * revision has no such file (or it is a folder). In a partial clone a blob not fetched yet
 * is fetched from the remote with `credentials`.
 */
export async function show(cwd: string, rev: string, path: string, options: Omit<GitOptions, 'cwd'> = {}): Promise<Buffer | null> {
  const spec = `${rev}:${path}`;
  const type = await runGit(['cat-file', '-t', spec], { ...options, cwd }).then(
    (r) => r.stdout.trim(),
    () => null,
  );
  if (type !== 'blob') return null;
  return (await runGit(['cat-file', 'blob', spec], { ...options, cwd })).bytes;
}

export interface DirectoryEntry {
  name: string;
  /** `blob` (file or symlink), `tree` (folder) or `commit` (submodule). */
  type: 'blob' | 'tree' | 'commit';
  mode: string;
  /** Bytes for blobs; null otherwise. */
  size: number | null;
}

/** The entries of one folder of a commit (`dir` '' for the root), not recursive; null when `dir` is not a folder there. */
export async function listDirectory(
  cwd: string,
  commit: string,
  dir: string,
  options: Omit<GitOptions, 'cwd'> = {},
): Promise<DirectoryEntry[] | null> {
  const treeish = dir ? `${commit}:${dir}` : `${commit}^{tree}`;
  let out: string;
  try {
    out = (await runGit(['ls-tree', '-l', '-z', treeish], { ...options, cwd })).stdout;
  } catch {
    options.signal?.throwIfAborted();
    return null;
  }
  const entries: DirectoryEntry[] = [];
  for (const record of out.split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [mode = '', type = '', , size = '-'] = record.slice(0, tab).split(/\s+/);
    if (type !== 'blob' && type !== 'tree' && type !== 'commit') continue;
    entries.push({ name: record.slice(tab + 1), type, mode, size: /^\d+$/.test(size) ? Number(size) : null });
  }
  return entries;
}
