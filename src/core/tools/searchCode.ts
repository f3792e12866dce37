import { z } from 'zod';
import { MAX_TEXT_QUERY_BYTES, PER_FILE, SEARCH_GROUPS, SEARCH_LIMIT, SEARCH_MODES } from '../../search/engine.js';
import { searchCode } from '../searchCode.js';
import { lastChangeLine, lastChangeShape } from './blame.js';
import { defineTool } from './types.js';

export const searchHitShape = z.object({
  repo: z.string(),
  path: z.string(),
  startLine: z.number().int(),
  endLine: z.number().int(),
  language: z.string(),
  symbol: z.string().nullable(),
  kind: z.string(),
  score: z.number(),
  snippet: z.string(),
  url: z.string().nullable(),
  lastChange: lastChangeShape.optional().describe('the last commit that changed these lines (newest in their git blame)'),
  lastChangeStatus: z
    .enum(['pending', 'unavailable'])
    .optional()
    .describe('why lastChange is missing: pending (not computed within the search budget yet; ask again) or unavailable'),
  chunks: z
    .array(
      z.object({
        startLine: z.number().int(),
        endLine: z.number().int(),
        symbol: z.string().nullable(),
        score: z.number(),
        snippet: z.string().describe("its first lines, as a hit's snippet"),
      }),
    )
    .optional()
    .describe("group=file: the file's best chunks, this hit's first"),
});

export const commitHitShape = z.object({
  repo: z.string(),
  hash: z.string(),
  date: z.string(),
  author: z.string(),
  email: z.string(),
  subject: z.string(),
  url: z.string().nullable(),
  score: z.number().describe('relevance of the message to the query words (higher is better); 0 when ordered by date'),
});

export const diffHitShape = z.object({
  repo: z.string(),
  hash: z.string(),
  date: z.string().describe('ISO 8601 author date with the author offset'),
  author: z.string(),
  email: z.string(),
  subject: z.string(),
  url: z.string().nullable(),
  score: z.number().describe('relevance (higher is better); 0 when ordered by date'),
  files: z
    .array(
      z.object({
        path: z.string(),
        lines: z
          .array(
            z.object({
              kind: z.enum(['+', '-']).describe('+ added, - removed'),
              line: z.number().int().describe('line number in the new file (+) or the old file (-)'),
              text: z.string(),
            }),
          )
          .describe('matching changed lines among the first kept for the file'),
      }),
    )
    .describe('the changed files that matched'),
});

export const incompleteShape = z
  .array(z.object({ repo: z.string(), pendingCommits: z.number().int() }))
  .describe('repositories whose diff index is still being built: older matches may be missing until `gitlore index` finishes');

const located = z.object({ include: z.array(z.string()), exclude: z.array(z.string()) });

export const parsedQueryShape = z.object({
  type: z.enum(['code', 'commit', 'diff']),
  mode: z.enum(SEARCH_MODES),
  text: z.string().describe("what the retrievers ranked by (the pattern in regex mode; a pasted text's extracted terms)"),
  extracted: z
    .object({ terms: z.array(z.string()), identifiers: z.array(z.string()), files: z.array(z.string()) })
    .optional()
    .describe('a pasted text (an issue, a stack trace): the terms and identifiers read from it, and the files it names (path:line)'),
  phrases: z.array(z.string()),
  anyOf: z.array(z.array(z.string())),
  exclude: z.array(z.string()),
  repos: located,
  languages: z.array(z.string()).nullable(),
  files: located,
  symbols: z.array(z.string()),
  caseSensitive: z.boolean(),
  limit: z.number().int(),
});

/** The query language in one paragraph: the tool description and `gitlore search --help` print it. */
export const QUERY_SYNTAX =
  'Query syntax (Sourcegraph/GitHub style; flags and filters combine, both must hold): repo:NAME, repo:GLOB or repo:/REGEX/ (repeat for any of several), -repo:…; lang:go, -lang:…; file:GLOB or path:GLOB (or a folder prefix, or file:/REGEX/), -file:…; sym:NAME (definitions named so); content:"text"; case:yes; type:code|symbol|commit|diff (type:commit searches commit messages, type:diff added and removed lines; both take author:NAME and order:relevance|newest|oldest; type:diff takes +word or added:word (in added lines) and removed:word); count:N or count:all; "exact phrase" (must appear); a OR b (either must appear); -word, -"phrase" or -/regex/ (must not appear); /regex/ (RE2, a regex search). Bare words rank results (all required with case:yes). An unknown filter is refused; quote text such as "key:value" to search for it.';

export const searchCodeTool = defineTool({
  name: 'search_code',
  title: 'Search code',
  description:
    'Searches the indexed code of every repository (or `repos`). `mode`: hybrid (default; words and meaning and symbol names fused), lexical (BM25 over code-aware tokens), semantic (embeddings), symbol (definition names), regex (RE2 syntax: linear time, no backreferences or lookaround, case-sensitive unless (?i); literal-prefiltered; stops at the time budget with `partial: true`). Filters: `language` (typescript, python, go…), `path` (glob such as src/**/*.ts or a folder prefix). Returns ranked hits with repo, path, 1-based inclusive line range, symbol, a snippet and `lastChange` (the last commit that changed those lines; `lastChangeStatus: pending` when not computed in time); read more with get_file, line history with blame. ' +
    `To find where an issue or a stack trace is fixed, pass its whole text as the query (up to ${MAX_TEXT_QUERY_BYTES / 1024 / 1024} MB): its identifiers, file paths, stack frames and error messages are extracted and weighted, and files it names rank higher; with group "file" each result is one file (its best chunks listed), so limit counts files. ` +
    QUERY_SYNTAX,
  inputSchema: {
    query: z
      .string()
      .describe(
        'words, an identifier, or the query syntax (repo:api lang:go "retry with" -test); a regex with mode=regex; or the whole text of an issue or stack trace',
      ),
    repos: z.array(z.string()).optional().describe('repository names (see list_repos); all when omitted'),
    language: z.string().optional().describe('language filter, e.g. python or ts'),
    path: z.string().optional().describe('path glob or folder prefix'),
    mode: z.enum(SEARCH_MODES).optional().describe('hybrid | lexical | semantic | symbol | regex'),
    limit: z
      .number()
      .int()
      .min(SEARCH_LIMIT.min)
      .max(SEARCH_LIMIT.max)
      .optional()
      .describe('maximum hits (files with group=file), default 10'),
    group: z.enum(SEARCH_GROUPS).optional().describe('file: one result per file, ranked by its best chunk, with its best chunks listed'),
    perFile: z
      .number()
      .int()
      .min(PER_FILE.min)
      .max(PER_FILE.max)
      .optional()
      .describe(
        `at most this many chunks of one file before the other files' next ones (default: past a file's ${PER_FILE.default} best, each further one ranks a little lower)`,
      ),
  },
  outputSchema: {
    query: z.string(),
    tookMs: z.number(),
    results: z.array(searchHitShape),
    commits: z.array(commitHitShape).optional().describe('type:commit: matching commits, best match first'),
    diffs: z.array(diffHitShape).optional().describe('type:diff: commits whose added or removed lines match, with those lines'),
    incomplete: incompleteShape.optional(),
    parsed: parsedQueryShape.describe('how the query was read'),
    partial: z.boolean().optional().describe('true when the results may be incomplete (a regex scan ran out of its time budget)'),
    partialReason: z.string().optional(),
  },
  async execute(input, ctx) {
    return searchCode({ ...input, mode: input.mode as (typeof SEARCH_MODES)[number] | undefined }, ctx);
  },
  toText(output) {
    const note = output.partial ? `\n\nPartial results: ${output.partialReason}.` : '';
    if (output.commits) return commitsText(output.query, output.commits);
    if (output.diffs) return diffsText(output.query, output.diffs, output.incomplete);
    if (output.results.length === 0) return `No results for ${JSON.stringify(shortQuery(output.query))}.${note}`;
    return `${output.results
      .map(
        (hit, i) =>
          `${i + 1}. ${hit.repo}/${hit.path}:${hit.startLine}-${hit.endLine}${hit.symbol ? ` ${hit.symbol}` : ''} (${hit.kind}, ${hit.language}, score ${hit.score})${hit.lastChange ? `\n    last change: ${lastChangeLine(hit.lastChange)}` : ''}${hit.chunks && hit.chunks.length > 1 ? `\n    also: ${hit.chunks.slice(1).map(chunkLine).join('; ')}` : ''}\n${indent(hit.snippet)}`,
      )
      .join('\n\n')}${note}`;
  },
});

/** A long pasted query, shortened for a one-line message. */
function shortQuery(query: string): string {
  return query.length > 100 ? `${query.slice(0, 100)}…` : query;
}

function chunkLine(c: { startLine: number; endLine: number; symbol: string | null }): string {
  return `${c.startLine}-${c.endLine}${c.symbol ? ` ${c.symbol}` : ''}`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}

/** Commits found, one line each. */
export function commitsText(query: string, commits: z.output<typeof commitHitShape>[]): string {
  if (commits.length === 0) return `No commits match ${JSON.stringify(query)}.`;
  return commits.map((c, i) => `${i + 1}. ${c.repo} ${c.hash.slice(0, 12)} ${c.date} ${c.author}: ${c.subject}`).join('\n');
}

/** Commits found by their changed lines: a line each, then each file and its matching lines. */
export function diffsText(
  query: string,
  diffs: z.output<typeof diffHitShape>[],
  incomplete: z.output<typeof incompleteShape> | undefined,
): string {
  const note = incomplete?.length
    ? `\n\nThe diff index is still being built for ${incomplete.map((r) => `${r.repo} (${r.pendingCommits} commits left)`).join(', ')}.`
    : '';
  if (diffs.length === 0) return `No changed lines match ${JSON.stringify(query)}.${note}`;
  const blocks = diffs.map((d, i) => {
    const files = d.files.map((f) => `    ${f.path}${f.lines.map((l) => `\n      ${l.kind}${l.line}: ${l.text}`).join('')}`);
    return `${i + 1}. ${d.repo} ${d.hash.slice(0, 12)} ${d.date} ${d.author}: ${d.subject}\n${files.join('\n')}`;
  });
  return `${blocks.join('\n\n')}${note}`;
}
