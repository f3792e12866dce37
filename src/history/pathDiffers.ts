import { type GitCredentials, streamLog } from '../git/index.js';

const OBJECT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * For each pair (commit, other commit): does `path` (a file, or anything under a folder) differ between the two
 * trees? One `git diff-tree --stdin -r` for all pairs, the pathspec taken literally, as `git log -- path`
 * compares a commit with a parent. Trees only: nothing is fetched in a blob-less clone.
 */
export async function pathDiffers(
  cwd: string,
  path: string,
  pairs: readonly (readonly [string, string])[],
  options: { signal?: AbortSignal; credentials?: GitCredentials | null } = {},
): Promise<boolean[]> {
  const result: boolean[] = pairs.map(() => false);
  if (pairs.length === 0) return result;
  // --always prints each pair's commit line even when nothing differs, so records follow the input in order.
  const args = ['--literal-pathspecs', 'diff-tree', '--stdin', '--always', '-r', '--no-renames', '--no-ext-diff', '--', path];
  let record = -1;
  let rest = '';
  const take = (line: string) => {
    if (line.startsWith(':')) {
      if (record >= 0) result[record] = true;
    } else if (OBJECT_ID.test(line)) {
      record++;
    }
  };
  const stdinLines = pairs.map(([commit, other]) => `${commit} ${other}`);
  for await (const chunk of streamLog(args, { cwd, stdinLines, signal: options.signal, credentials: options.credentials })) {
    const lines = (rest + chunk.toString('latin1')).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) take(line);
  }
  take(rest);
  return result;
}
