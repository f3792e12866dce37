import { type GitCredentials, runGit, streamLog } from '../git/index.js';
import { decodeBytes } from './gitLog.js';

/** The most patch text one answer carries (`show --patch`, `get_commit` with `patch: true`). */
export const MAX_PATCH_BYTES = 200 * 1024;

/**
 * How gitlore asks git for a patch (`show --patch`, the diff index): plain unified diff, no user diff drivers or
 * colours, a/ and b/ prefixes whatever the config says, renames as the history ingest finds them (in a blob-less
 * clone only exact ones, which need no file contents).
 */
export function patchFormat(partial: boolean): string[] {
  return [
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    partial ? '--find-renames=100%' : '--find-renames',
  ];
}

/** Is the clone a blob-less partial one? Then renames are found by identical content only, as the ingest finds them. */
export async function isPartialClone(cwd: string, signal?: AbortSignal): Promise<boolean> {
  const out = await runGit(['config', '--get-regexp', '^remote\\..*\\.promisor$'], { cwd, signal }).catch(() => null);
  return (out?.stdout ?? '').includes('true');
}

/**
 * `git show` arguments for a commit's patch: against the first parent for a merge (as its files are listed),
 * a/ b/ prefixes and no external diff or textconv whatever the user's config says.
 */
export function showPatchArgs(commit: { hash: string; parents: readonly string[] }, partial: boolean): string[] {
  const args = ['-c', 'core.quotePath=false', 'show', '--patch', '--format=', ...patchFormat(partial)];
  if (commit.parents.length > 1) args.push('--diff-merges=first-parent');
  args.push(commit.hash, '--');
  return args;
}

export interface PatchText {
  /** The unified diff; when cut, it ends at a line boundary followed by one marker line saying so. */
  text: string;
  truncated: boolean;
  /** Bytes of the whole patch when it was read to its end; null when reading stopped at the limit. */
  bytes: number | null;
}

/** One commit's patch as text, at most `maxBytes` of it (git stops once that much has been read). */
export async function readPatch(
  cwd: string,
  commit: { hash: string; parents: readonly string[] },
  options: { maxBytes?: number; signal?: AbortSignal; credentials?: GitCredentials | null } = {},
): Promise<PatchText> {
  const maxBytes = options.maxBytes ?? MAX_PATCH_BYTES;
  const partial = await isPartialClone(cwd, options.signal);
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of streamLog(showPatchArgs(commit, partial), { cwd, signal: options.signal, credentials: options.credentials })) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > maxBytes) {
      truncated = true;
      break;
    }
  }
  const all = Buffer.concat(chunks);
  if (!truncated) return { text: decodeBytes(all), truncated: false, bytes: all.length };
  // Cut after the last whole line that fits, so no line (or UTF-8 character) is split.
  const cut = all.lastIndexOf(0x0a, maxBytes - 1) + 1;
  const kept = decodeBytes(all.subarray(0, cut));
  const marker = `[gitlore: patch truncated after ${Math.round(cut / 1024)} KB (limit ${Math.round(maxBytes / 1024)} KB); run \`git show ${commit.hash}\` for the rest]\n`;
  return { text: kept + marker, truncated: true, bytes: null };
}
