import type { RegisterCommand } from './context.js';

export const registerShow: RegisterCommand = (program, ctx) => {
  program
    .command('show')
    .description('one commit: message, author, date and the files changed with +/- line counts')
    .argument('<repo>', 'repository name (see `gitlore repo list`)')
    .argument('<commit>', 'commit hash or unique prefix (4+ hex digits)')
    .option('--patch', 'print the diff too (git show --patch; a merge against its first parent; cut at 200 KB)')
    .option('--json', 'print the commit as one JSON document')
    .action(
      ctx.action(async (repo: string, commit: string, opts: { json?: boolean; patch?: boolean }) => {
        const app = await ctx.app();
        const [{ getCommitDetail }, { createContext }] = await Promise.all([import('../core/history.js'), import('../core/context.js')]);
        const c = await getCommitDetail({ repo, hash: commit, patch: opts.patch }, createContext(app));
        if (opts.json) return ctx.out.json(c);
        ctx.out.line(`commit ${c.hash}`);
        if (c.isMerge) ctx.out.line(`Merge: ${c.parents.map((p) => p.slice(0, 10)).join(' ')}`);
        ctx.out.line(`Author: ${c.author} <${c.email}>`);
        ctx.out.line(`Date:   ${c.date}`);
        if (c.committer !== c.author || c.committerDate !== c.date)
          ctx.out.line(`Commit: ${c.committer} <${c.committerEmail}> ${c.committerDate}`);
        ctx.out.line();
        for (const line of c.message.split('\n')) ctx.out.line(`    ${line}`);
        ctx.out.line();
        const width = Math.max(0, ...c.files.map((f) => String(f.added ?? '-').length));
        for (const f of c.files) {
          const name = f.oldPath ? `${f.oldPath} => ${f.path}` : f.path;
          ctx.out.line(`${String(f.added ?? '-').padStart(width)}\t${f.removed ?? '-'}\t${f.status}  ${name}`);
        }
        ctx.out.line(` ${c.stats.files} files changed, ${c.stats.additions} insertions(+), ${c.stats.deletions} deletions(-)`);
        if (c.patch !== undefined) {
          ctx.out.line();
          ctx.out.line(c.patch.replace(/\n$/, ''));
        }
      }),
    );
};
