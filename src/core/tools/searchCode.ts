import { z } from 'zod';
import { SEARCH_LIMIT, SEARCH_MODES } from '../../search/engine.js';
import { searchCode } from '../searchCode.js';
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
});

export const searchCodeTool = defineTool({
  name: 'search_code',
  title: 'Search code',
  description:
    'Searches the indexed code of every repository (or `repos`). `mode`: hybrid (default; words and meaning and symbol names fused), lexical (BM25 over code-aware tokens), semantic (embeddings), symbol (definition names), regex (RE2 syntax: linear time, no backreferences or lookaround, case-sensitive unless (?i); literal-prefiltered; stops at the time budget with `partial: true`). Filters: `language` (typescript, python, go…), `path` (glob such as src/**/*.ts or a folder prefix). Returns ranked hits with repo, path, 1-based inclusive line range, symbol and a snippet; read more with get_file.',
  inputSchema: {
    query: z.string().describe('words, an identifier, or a regex with mode=regex'),
    repos: z.array(z.string()).optional().describe('repository names (see list_repos); all when omitted'),
    language: z.string().optional().describe('language filter, e.g. python or ts'),
    path: z.string().optional().describe('path glob or folder prefix'),
    mode: z.enum(SEARCH_MODES).optional().describe('hybrid | lexical | semantic | symbol | regex'),
    limit: z.number().int().min(SEARCH_LIMIT.min).max(SEARCH_LIMIT.max).optional().describe('maximum hits, default 10'),
  },
  outputSchema: {
    query: z.string(),
    tookMs: z.number(),
    results: z.array(searchHitShape),
    partial: z.boolean().optional().describe('true when the results may be incomplete (a regex scan ran out of its time budget)'),
    partialReason: z.string().optional(),
  },
  async execute(input, ctx) {
    return searchCode({ ...input, mode: input.mode as (typeof SEARCH_MODES)[number] | undefined }, ctx);
  },
  toText(output) {
    const note = output.partial ? `\n\nPartial results: ${output.partialReason}.` : '';
    if (output.results.length === 0) return `No results for ${JSON.stringify(output.query)}.${note}`;
    return `${output.results
      .map(
        (hit, i) =>
          `${i + 1}. ${hit.repo}/${hit.path}:${hit.startLine}-${hit.endLine}${hit.symbol ? ` ${hit.symbol}` : ''} (${hit.kind}, ${hit.language}, score ${hit.score})\n${indent(hit.snippet)}`,
      )
      .join('\n\n')}${note}`;
  },
});

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
}
