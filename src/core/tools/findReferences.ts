import { z } from 'zod';
import { REFERENCES_LIMIT } from '../../shared/searchLimits.js';
import { findReferences } from '../findReferences.js';
import { defineTool } from './types.js';

export const findReferencesTool = defineTool({
  name: 'find_references',
  title: 'Find references (usages) of a symbol',
  description:
    'Finds where a function, method, class, type or variable is used across repositories ("who calls X?"): every occurrence of the identifier as a whole word (case-sensitive), outside comments and strings, excluding its definitions, grouped by file, each with its line, text and enclosing function. Search-based, like Sourcegraph\'s: another symbol with the same name counts too, so read the enclosing function and path. `symbol` is one identifier (`parseConfig`) or a qualified name (`Router.handle`: the last part is searched, the definitions narrowed to it). Optional `repos`, `language`, `limit` (references listed, default 100). Returns `definitions`, `total` and `files` (repositories that define the name first, then the files with most uses); `truncated` when more exist than listed. Use find_symbol for where something is defined.',
  inputSchema: {
    symbol: z.string().describe('identifier as written in code (case-sensitive), or Qualified.name'),
    repos: z.array(z.string()).optional().describe('only these repositories'),
    language: z.string().optional().describe('only this language (typescript, python, go, …); default: every programming language'),
    limit: z
      .number()
      .int()
      .min(REFERENCES_LIMIT.min)
      .max(REFERENCES_LIMIT.max)
      .optional()
      .describe(`references listed (default ${REFERENCES_LIMIT.default})`),
  },
  outputSchema: {
    symbol: z.string(),
    definitions: z.array(
      z.object({ repo: z.string(), path: z.string(), line: z.number().int(), kind: z.string(), qualifiedName: z.string() }),
    ),
    total: z.number().int().describe('references found in all'),
    totalFiles: z.number().int(),
    files: z.array(
      z.object({
        repo: z.string(),
        path: z.string(),
        language: z.string(),
        count: z.number().int().describe('references in this file'),
        references: z.array(
          z.object({
            line: z.number().int(),
            column: z.number().int().describe('1-based'),
            text: z.string().describe('the line, trimmed'),
            enclosing: z
              .object({ name: z.string(), kind: z.string(), startLine: z.number().int() })
              .nullable()
              .describe('the innermost definition around the reference; null at top level'),
          }),
        ),
      }),
    ),
    truncated: z.boolean().describe('more references exist than are listed'),
    partial: z.literal(true).optional(),
    partialReason: z.string().optional(),
    hint: z.string().optional(),
    tookMs: z.number(),
  },
  async execute(input, ctx) {
    return findReferences(input, ctx);
  },
  toText(output) {
    return referencesText(output).join('\n');
  },
});

/** The answer as lines: the definitions, then each file and its references (as `gitlore refs` prints it). */
export function referencesText(output: Awaited<ReturnType<typeof findReferences>>): string[] {
  const out: string[] = [];
  for (const d of output.definitions) out.push(`defined: ${d.repo}/${d.path}:${d.line} ${d.kind} ${d.qualifiedName}`);
  for (const file of output.files) {
    out.push(`${file.repo}/${file.path} (${file.count})`);
    for (const r of file.references) {
      const where = r.enclosing ? `  [in ${r.enclosing.kind} ${r.enclosing.name}]` : '';
      out.push(`  ${r.line}:${r.column}  ${r.text}${where}`);
    }
  }
  const shown = output.files.reduce((n, f) => n + f.references.length, 0);
  out.push(
    `${output.total} references in ${output.totalFiles} files${shown < output.total ? ` (${shown} shown; raise limit for more)` : ''}`,
  );
  if (output.partialReason) out.push(`partial: ${output.partialReason}`);
  if (output.hint) out.push(output.hint);
  return out;
}
