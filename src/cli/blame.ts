import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { RegisterCommand } from './context.js';

/** `-L 10,20`, `-L 10,+5` (5 lines from 10) or `-L 10` (from 10 on), as git blame reads them. */
export function parseLineRange(value: string): { startLine: number; endLine?: number } {
  const m = /^\s*(\d+)\s*(?:,\s*(\+?)(\d+)\s*)?$/.exec(value);
  const start = Number(m?.[1]);
  const end = m?.[3] === undefined ? undefined : m[2] === '+' ? start + Number(m[3]) - 1 : Number(m[3]);
  if (!m || start < 1 || (end !== undefined && end < start)) {
    throw new GitloreError(ERROR_CODES.USAGE, `Invalid -L ${value}.`, {
      hint: 'Use -L START,END (1-based, inclusive), -L START,+COUNT or -L START.',
    });
  }
  return { startLine: start, endLine: end };
}

export const registerBlame: RegisterCommand = (program, ctx) => {
  program
    .command('blame')
    .description('each line of a file with the commit that last changed it (git blame, cached)')
    .argument('<repo>', 'repository name (see `gitlore repo list`)')
    .argument('<path>', 'file path relative to the repository root')
    .option('-L <range>', 'only lines START,END (or START,+COUNT); at most 2000 lines without it')
    .option('--ref <ref>', 'branch, tag or commit (default: the synced HEAD)')
    .option('--json', 'print one JSON document: lines, groups of lines per commit, the commits and the last change')
    .addHelpText('after', '\nExamples:\n  gitlore blame api src/server.ts\n  gitlore blame api src/server.ts -L 40,80 --json')
    .action(
      ctx.action(async (repo: string, path: string, opts: { L?: string; ref?: string; json?: boolean }) => {
        const range = opts.L ? parseLineRange(opts.L) : {};
        const app = await ctx.app();
        const [{ blameFile }, { createContext }, { blameLines, lastChangeLine }] = await Promise.all([
          import('../core/blame.js'),
          import('../core/context.js'),
          import('../core/tools/blame.js'),
        ]);
        const answer = await blameFile({ repo, path, ref: opts.ref, ...range }, createContext(app));
        if (opts.json) return ctx.out.json(answer);
        for (const line of blameLines(answer)) ctx.out.line(line);
        if (answer.truncated)
          ctx.terminal.line(
            `… first ${answer.endLine} of ${answer.totalLines} lines; pass -L ${answer.endLine + 1},${answer.totalLines} for more.`,
          );
        if (answer.lastChange) ctx.terminal.line(`last change: ${lastChangeLine(answer.lastChange)}`);
      }),
    );
};
