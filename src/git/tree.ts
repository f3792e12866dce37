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
