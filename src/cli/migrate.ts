import type { IndexEvent } from '../core/indexRepos.js';
import type { MigrateEvent, MigrateReport } from '../core/migrateStore.js';
import type { RegisterCommand } from './context.js';
import { EXIT_FAILURE, EXIT_INTERRUPTED } from './exitCodes.js';
import { showIndexProgress } from './indexRepos.js';
import { formatDuration, type Output } from './render.js';
import { untilInterrupted } from './run.js';

function printReport(out: Output, report: MigrateReport): void {
  out.table(
    ['TABLE', 'SQLITE', 'COPIED NOW', 'POSTGRES'],
    report.tables.map((t) => [t.table, t.source, t.copied, t.target]),
  );
  out.table(
    ['REPO', 'FILES', 'CHUNKS', 'SYMBOLS', 'EMBEDDED', 'CHECK'],
    report.repos.map((r) => [
      r.repo,
      `${r.target.files}/${r.source.files}`,
      `${r.target.chunks}/${r.source.chunks}`,
      `${r.target.symbols}/${r.source.symbols}`,
      `${r.target.embedded}/${r.source.embedded}`,
      r.ok ? 'ok' : 'DIFFERS',
    ]),
  );
  for (const table of report.notCopied) out.line(`not copied: ${table} (PostgreSQL has no such table)`);
  out.line(
    report.ok
      ? `copied into ${report.target} and checked in ${formatDuration(report.tookMs)} (code index rebuilt from the clones, ${report.embedded} chunks embedded); set DATABASE_URL to use it`
      : `copied into ${report.target}, but the counts above differ: run \`gitlore migrate\` again, and check the repositories marked DIFFERS`,
  );
}

export const registerMigrate: RegisterCommand = (program, ctx) => {
  program
    .command('migrate')
    .description('copies the embedded SQLite store into PostgreSQL, rebuilds the code index there and checks the counts')
    .requiredOption('--to <postgres-url>', 'the PostgreSQL database (postgres://user:password@host:5432/db); created tables on first run')
    .option('--json', 'one JSON document')
    .addHelpText(
      'after',
      '\nThe source is the SQLite store of GITLORE_DATA_DIR (DATABASE_URL must be unset). Repositories, history, users, tokens,\nsessions, chats, audit, permissions and vectors are copied with their ids; the code index is rebuilt from the clones.\nSafe to run again: rows already copied stay. Exit 1 when a count differs.',
    )
    .action(
      ctx.action(async (opts: { to: string; json?: boolean }) => {
        const app = await ctx.app();
        const [{ migrateToPostgres }, { createContext }] = await Promise.all([
          import('../core/migrateStore.js'),
          import('../core/context.js'),
        ]);
        const progress = ctx.terminal.progress({ quiet: opts.json === true });
        const onIndexEvent = showIndexProgress(progress);
        const report = await untilInterrupted(progress, (signal) =>
          migrateToPostgres(
            { to: opts.to },
            createContext(app, {
              signal,
              emit: (event) => {
                const migrate = event as MigrateEvent;
                if (migrate.type === 'table') progress.start(0, `copying ${migrate.table}`);
                else if (migrate.type === 'reindex')
                  progress.note(`rebuilding the code index of ${migrate.repos} repositories from the clones`);
                else onIndexEvent(event as IndexEvent);
              },
            }),
          ),
        );
        if (!report) {
          ctx.terminal.line('gitlore: migrate cancelled; run it again to finish (rows already copied stay).');
          return EXIT_INTERRUPTED;
        }
        if (opts.json) ctx.out.json(report);
        else printReport(ctx.out, report);
        return report.ok ? 0 : EXIT_FAILURE;
      }),
    );
};
