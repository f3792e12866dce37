import { z } from 'zod';
import { getFile, numberLines } from '../files.js';
import { defineTool } from './types.js';

/** The input of every tool that reads a range of one file (get_file, blame). */
export const fileRangeInput = {
  repo: z.string().describe('repository name'),
  path: z.string().describe('path relative to the repository root'),
  startLine: z.number().int().min(1).optional(),
  endLine: z.number().int().min(1).optional(),
  ref: z.string().optional().describe('branch, tag or commit; default HEAD'),
};

/** What those tools say of the range they read. */
export const fileRangeOutput = {
  repo: z.string(),
  path: z.string(),
  commit: z.string(),
  language: z.string().nullable(),
  startLine: z.number().int(),
  endLine: z.number().int(),
  totalLines: z.number().int(),
  truncated: z.boolean(),
};

export const getFileTool = defineTool({
  name: 'get_file',
  title: 'Read a file',
  description:
    'Returns a text file of a repository with line numbers, at the synced HEAD or at `ref` (branch, tag or commit). `startLine`/`endLine` (1-based, inclusive) select a range; without them at most 2000 lines are returned. Paths are relative to the repository root; binary files and paths outside the repository are refused.',
  inputSchema: fileRangeInput,
  outputSchema: { ...fileRangeOutput, content: z.string() },
  async execute(input, ctx) {
    return getFile(input, ctx);
  },
  toText(output) {
    const range = `lines ${output.startLine}-${output.endLine} of ${output.totalLines}`;
    const more = output.truncated ? `\n… truncated; pass startLine=${output.endLine + 1} for more.` : '';
    return `${output.repo}/${output.path} @ ${output.commit.slice(0, 12)} (${range})\n${numberLines(output)}${more}`;
  },
});
