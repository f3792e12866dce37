import { z } from 'zod';
import { type BlameAnswer, blameFile, type LastChange } from '../blame.js';
import { fileRangeInput, fileRangeOutput } from './getFile.js';
import { defineTool } from './types.js';

export const lastChangeShape = z.object({
  hash: z.string(),
  author: z.string(),
  email: z.string(),
  date: z.string().describe('author date, ISO 8601 with the author’s offset'),
  subject: z.string(),
});

/** `abc1234def56 2024-05-01 Alice Anders: Fix the parser`: a last change in one line. */
export function lastChangeLine(change: LastChange): string {
  return `${change.hash.slice(0, 12)} ${change.date.slice(0, 10)} ${change.author}: ${change.subject}`;
}

export const blameTool = defineTool({
  name: 'blame',
  title: 'Who last changed these lines',
  description:
    'Attributes each line of a file (or of `startLine`..`endLine`, 1-based, inclusive; at most 2000 lines without a range) to the commit that last changed it, as `git blame -L` does (renames followed), at the synced HEAD or at `ref`. Returns groups of consecutive lines with one commit, each commit once (hash, author, email, date, subject), the text, and `lastChange`: the newest of those commits.',
  inputSchema: fileRangeInput,
  outputSchema: {
    ...fileRangeOutput,
    commit: z.string().describe('the commit blamed at'),
    content: z.string().describe('the lines startLine..endLine'),
    lastChange: lastChangeShape.nullable().describe('the newest commit among the lines’ attributions'),
    groups: z.array(
      z.object({
        startLine: z.number().int(),
        endLine: z.number().int(),
        hash: z.string(),
        origPath: z.string().describe('the path in that commit (differs after a rename)'),
        origStartLine: z.number().int(),
      }),
    ),
    commits: z.array(lastChangeShape.extend({ boundary: z.boolean().describe('a root commit, or where a shallow history stops') })),
  },
  async execute(input, ctx) {
    return blameFile(input, ctx);
  },
  toText(output) {
    const range = `lines ${output.startLine}-${output.endLine} of ${output.totalLines}`;
    const head = `${output.repo}/${output.path} @ ${output.commit.slice(0, 12)} (${range})`;
    const last = output.lastChange ? `\nlast change: ${lastChangeLine(output.lastChange)}` : '';
    const more = output.truncated ? `\n… truncated; pass startLine=${output.endLine + 1} for more.` : '';
    return `${head}${last}\n${blameLines(output).join('\n')}${more}`;
  },
});

/** `abc1234d Alice Anders 2024-05-01  12  text`: each line with its commit, as `gitlore blame` prints it. */
export function blameLines(answer: Pick<BlameAnswer, 'content' | 'startLine' | 'endLine' | 'groups' | 'commits'>): string[] {
  const commits = new Map(answer.commits.map((c) => [c.hash, c]));
  const authorWidth = Math.min(20, Math.max(0, ...answer.commits.map((c) => c.author.length)));
  const numberWidth = String(answer.endLine).length;
  const lines = answer.content.split('\n');
  let group = 0;
  return lines.map((text, i) => {
    const line = answer.startLine + i;
    while ((answer.groups[group]?.endLine ?? Number.POSITIVE_INFINITY) < line) group++;
    const commit = commits.get(answer.groups[group]?.hash ?? '');
    const who = commit
      ? `${commit.boundary ? '^' : ''}${commit.hash.slice(0, commit.boundary ? 7 : 8)} ${commit.author.slice(0, 20).padEnd(authorWidth)} ${commit.date.slice(0, 10)}`
      : `${'?'.repeat(8)} ${''.padEnd(authorWidth)} ${' '.repeat(10)}`;
    return `${who} ${String(line).padStart(numberWidth)}  ${text}`;
  });
}
