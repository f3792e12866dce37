import { createContext } from '../core/context.js';
import { getCommitDetail } from '../core/history.js';
import type { RegisterCommand } from './context.js';
import { printJson, printLine } from './render.js';
import { action } from './run.js';

export const registerShow: RegisterCommand = (program, ctx) => {
  program
    .command('show')
    .description('one commit: message, author, date and the files changed with +/- line counts')
    .argument('<repo>', 'repository name (see `gitlore repo list`)')
    .argument('<commit>', 'commit hash or unique prefix (4+ hex digits)')
    .option('--json', 'print the commit as one JSON document')
    .action(
      action(async (repo: string, commit: string, opts: { json?: boolean }) => {
        const app = await ctx.app();
        const c = await getCommitDetail({ repo, hash: commit }, createContext(app));
        if (opts.json) return printJson(c);
        printLine(`commit ${c.hash}`);
        if (c.isMerge) printLine(`Merge: ${c.parents.map((p) => p.slice(0, 10)).join(' ')}`);
        printLine(`Author: ${c.author} <${c.email}>`);
        printLine(`Date:   ${c.date}`);
        if (c.committer !== c.author || c.committerDate !== c.date)
          printLine(`Commit: ${c.committer} <${c.committerEmail}> ${c.committerDate}`);
        printLine();
        for (const line of c.message.split('\n')) printLine(`    ${line}`);
        printLine();
        const width = Math.max(0, ...c.files.map((f) => String(f.added ?? '-').length));
        for (const f of c.files) {
          const name = f.oldPath ? `${f.oldPath} => ${f.path}` : f.path;
          printLine(`${String(f.added ?? '-').padStart(width)}\t${f.removed ?? '-'}\t${f.status}  ${name}`);
        }
        printLine(` ${c.stats.files} files changed, ${c.stats.additions} insertions(+), ${c.stats.deletions} deletions(-)`);
      }),
    );
};
