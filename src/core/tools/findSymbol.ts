import { z } from 'zod';
import { findSymbol } from '../searchCode.js';
import { defineTool } from './types.js';

export const findSymbolTool = defineTool({
  name: 'find_symbol',
  title: 'Find symbol definitions',
  description:
    'Finds where a function, method, class, type or property is defined, by name (`handle`) or qualified name (`Application.handle`, `pkg.Func`); falls back to a name prefix when nothing matches exactly. Optional `repo` and `kind` (function, method, class, interface, type, property, struct, enum…) narrow it. Returns repo, path, 1-based line range and signature.',
  inputSchema: {
    name: z.string().describe('symbol name or qualified name'),
    repo: z.string().optional().describe('repository name'),
    kind: z.string().optional().describe('function, method, getter, setter, class, interface, type, property, struct, enum, trait, module'),
  },
  outputSchema: {
    symbols: z.array(
      z.object({
        repo: z.string(),
        path: z.string(),
        name: z.string(),
        qualifiedName: z.string(),
        kind: z.string(),
        signature: z.string(),
        language: z.string(),
        startLine: z.number().int(),
        endLine: z.number().int(),
        url: z.string().nullable(),
      }),
    ),
  },
  async execute(input, ctx) {
    return findSymbol(input, ctx);
  },
  toText(output) {
    if (output.symbols.length === 0) return 'No definitions found.';
    return output.symbols
      .map((s) => `${s.repo}/${s.path}:${s.startLine}-${s.endLine} ${s.kind} ${s.qualifiedName}\n    ${s.signature}`)
      .join('\n');
  },
});
