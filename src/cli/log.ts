import type { RegisterCommand } from './context.js';
import { wholeNumber } from './flags.js';

interface LogOptions {
  repo: string;
  path?: string;
  author?: string;
  since?: string;
  until?: string;
  grep?: string;
  oldestFirst?: boolean;
  merges?: boolean;
  fullHistory?: boolean;
  roots?: boolean;
  follow?: boolean;
  files?: boolean;
  limit?: number;
  offset?: number;
  json?: boolean;
}

export const registerLog: RegisterCommand = (program, ctx) => {
  program
    .command('log')
    .description("commit history of a repository's default branch, newest first (merges excluded unless --merges)")
    .requiredOption('--repo <name>', 'repository name (see `gitlore repo list`)')
    .option('--path <path>', 'only commits changing this file or anything under this folder')
    .option('--follow', 'with --path FILE: follow the file across renames')
    .option('--author <text>', 'author name or email contains TEXT (case-insensitive)')
    .option('--since <date>', 'author date on or after DATE (2024-05-01, 2024-05, "2 weeks ago")')
    .option('--until <date>', 'author date on or before DATE (a bare date includes the whole day)')
    .option('--grep <text>', 'every word of TEXT appears in the message')
    .option('--oldest-first', 'oldest commits first')
    .option('--merges', 'include merge commits (for "who last changed PATH": --merges --limit 1, as git log -1 -- PATH)')
    .option('--full-history', "with --path: every commit that changed it, not git's default history simplification")
    .option('--roots', 'only root commits (the first commit(s) of the repository), by author date')
    .option('--files', 'list the files each commit changed')
    .option('--limit <n>', 'commits to print (default 50)', wholeNumber('--limit', 1))
    .option('--offset <n>', 'skip the first N matches (paging)', wholeNumber('--offset', 0))
    .option('--json', 'print {"total", "commits": [{hash, date, author, email, subject, files?}], "semantics"}')
    .action(
      ctx.action(async (opts: LogOptions) => {
        const app = await ctx.app();
        const [{ commitTimeline }, { createContext }] = await Promise.all([import('../core/history.js'), import('../core/context.js')]);
        const result = await commitTimeline(
          {
            repo: opts.repo,
            path: opts.path,
            follow: opts.follow,
            author: opts.author,
            since: opts.since,
            until: opts.until,
            grep: opts.grep,
            order: opts.oldestFirst ? 'oldest' : 'newest',
            merges: opts.merges,
            fullHistory: opts.fullHistory,
            roots: opts.roots,
            files: opts.files,
            limit: opts.limit,
            offset: opts.offset,
          },
          createContext(app),
        );
        if (opts.json) return ctx.out.json(result);
        for (const c of result.commits) {
          ctx.out.line(`${c.hash.slice(0, 10)}  ${c.date}  ${c.author}  ${c.subject}`);
          for (const f of c.files ?? []) ctx.out.line(`    ${f.status}  ${f.oldPath ? `${f.oldPath} -> ` : ''}${f.path}`);
        }
        const shown = (opts.offset ?? 0) + result.commits.length;
        if (!ctx.quiet) {
          ctx.terminal.line(
            result.total === 0
              ? 'no matching commits'
              : `${result.commits.length} of ${result.total} matching commits${shown < result.total ? ` (more with --offset ${shown})` : ''}`,
          );
          if (opts.path) ctx.terminal.line(`history: ${result.semantics}${result.semanticsNote ? ` (${result.semanticsNote})` : ''}`);
        }
      }),
    );
};
