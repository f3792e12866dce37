import { z } from 'zod';
import { SEARCH_LIMIT } from '../../search/engine.js';
import { SEARCH_ORDERS } from '../../shared/queryLanguage.js';
import { searchChangedLines, searchCommitMessages } from '../searchHistory.js';
import { commitHitShape, commitsText, diffHitShape, diffsText, incompleteShape } from './searchCode.js';
import { defineTool } from './types.js';

const common = {
  repos: z.array(z.string()).optional().describe('repository names (see list_repos); all when omitted'),
  author: z.string().optional().describe('part of the author name or email'),
  since: z.string().optional().describe('author date from: 2024-01-31, 2024, "3 months ago"'),
  until: z.string().optional().describe('author date to, same forms'),
  order: z
    .enum(SEARCH_ORDERS)
    .optional()
    .describe('relevance (default: best match first among the newest matches), newest, or oldest (the first commits that did it)'),
  limit: z.number().int().min(SEARCH_LIMIT.min).max(SEARCH_LIMIT.max).optional().describe('maximum commits, default 10'),
};

export const searchCommitsTool = defineTool({
  name: 'search_commits',
  title: 'Search commit messages',
  description:
    'Searches commit messages (subject and body) and authors over the default branch history of every repository (or `repos`); merges are left out. Every word must appear in the message (whole words, any case); "exact phrase", a OR b, -word, case:yes, repo: and author: work as in search_code. Ranked by relevance (BM25, the subject weighted above the body) among each repository\'s newest 1000 matches, ties newest first; newest first when only `author` is given. Returns repo, hash, ISO date, author, subject and url; read one with get_commit. For code that changed, use search_diffs.',
  inputSchema: {
    query: z.string().describe('words of the message, e.g. "fix timeout" or "retry OR backoff -revert"; may be empty with author'),
    ...common,
  },
  outputSchema: {
    query: z.string(),
    tookMs: z.number(),
    commits: z.array(commitHitShape),
  },
  async execute(input, ctx) {
    return searchCommitMessages(input, ctx);
  },
  toText(output) {
    return commitsText(output.query, output.commits);
  },
});

export const searchDiffsTool = defineTool({
  name: 'search_diffs',
  title: 'Search added and removed lines',
  description:
    'Searches the lines each commit added or removed (its diff against its first parent; merges, binary, vendored and generated files, huge diffs and commits over 300 files are not indexed) across the default branch history. Answers "when did we start calling X" (order: oldest, side: added), "who removed Y" (side: removed) and "which commits touched Z". Words are code identifiers matched whole, any case (retryPolicy matches retryPolicy and RetryPolicy, not retryPolicies); all must appear in one changed file (in added or removed lines, or as `side` says); +word or added:word = in added lines, removed:word = in removed lines, -word = not in that file\'s changed lines, a OR b. Returns commits (repo, hash, date, author, subject, url, score) with each matching file and its matching lines (+/- with line numbers); read the whole diff with get_commit (patch: true).',
  inputSchema: {
    query: z.string().describe('identifiers or words, e.g. retryPolicy, "+retryPolicy -legacyRetry", removed:setTimeout'),
    path: z.string().optional().describe('only files matching this glob or folder prefix (src/**/*.ts, lib/)'),
    side: z
      .enum(['any', 'added', 'removed'])
      .optional()
      .describe('where the query words must appear: any (default), added or removed lines'),
    ...common,
  },
  outputSchema: {
    query: z.string(),
    tookMs: z.number(),
    diffs: z.array(diffHitShape),
    incomplete: incompleteShape,
  },
  async execute(input, ctx) {
    return searchChangedLines(input, ctx);
  },
  toText(output) {
    return diffsText(output.query, output.diffs, output.incomplete);
  },
});
