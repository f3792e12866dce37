import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { REFERENCES_LIMIT as LIMIT } from '../shared/searchLimits.js';
import type { RegisterCommand } from './context.js';

interface RefsFlags {
  repo?: string[];
  lang?: string;
  limit?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export const registerRefs: RegisterCommand = (program, ctx) => {
  program
    .command('refs')
    .description('where a symbol is used across repositories (search-based references, grouped by file)')
    .argument('<symbol>', 'identifier as written in code (case-sensitive), or Qualified.name')
    .option('--repo <name>', 'only this repository (repeatable)', collect)
    .option('--lang <language>', 'only this language (default: every programming language)')
    .option('--limit <n>', `references listed (${LIMIT.min}-${LIMIT.max}; default ${LIMIT.default})`)
    .option('--json', 'print one JSON document: definitions, total, files with their references')
    .addHelpText(
      'after',
      "\nExamples:\n  gitlore refs parseConfig\n  gitlore refs Router.handle --repo api --json\n\nA reference is the identifier as a whole word outside comments and strings, not one of its definitions;\nanother symbol with the same name counts too (as in Sourcegraph's search-based references).",
    )
    .action(
      ctx.action(async (symbol: string, opts: RefsFlags) => {
        const limit = opts.limit === undefined ? undefined : Number(opts.limit);
        if (limit !== undefined && (!Number.isInteger(limit) || limit < LIMIT.min || limit > LIMIT.max)) {
          throw new GitloreError(ERROR_CODES.USAGE, `Invalid --limit ${opts.limit}.`, {
            hint: `Use an integer from ${LIMIT.min} to ${LIMIT.max}.`,
          });
        }
        const app = await ctx.app();
        const [{ findReferences }, { createContext }, { referencesText }] = await Promise.all([
          import('../core/findReferences.js'),
          import('../core/context.js'),
          import('../core/tools/findReferences.js'),
        ]);
        const result = await findReferences({ symbol, repos: opts.repo, language: opts.lang, limit }, createContext(app));
        if (opts.json) return ctx.out.json(result);
        for (const line of referencesText(result)) ctx.out.line(line);
      }),
    );
};
