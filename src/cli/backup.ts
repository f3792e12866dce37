import { existsSync } from 'node:fs';
import type { BackupEvent, BackupReport, RestoreEvent, RestoreReport } from '../core/backup/index.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { formatBytes } from '../shared/statusView.js';
import type { RegisterCommand } from './context.js';
import { EXIT_FAILURE, EXIT_INTERRUPTED } from './exitCodes.js';
import { formatDuration, type Output } from './render.js';
import { untilInterrupted } from './run.js';

function printBackup(out: Output, report: BackupReport): void {
  out.table(
    ['ITEM', 'NAME', 'SIZE', 'WRITTEN'],
    report.items.map((i) => [
      i.kind,
      i.name,
      formatBytes(i.size),
      i.reused ? 'unchanged (reused)' : report.dryRun ? 'would write' : 'written',
    ]),
  );
  for (const name of report.skipped) out.line(`not backed up: ${name} (no clone in the repos folder; \`gitlore sync\` brings it back)`);
  for (const f of report.failed) out.line(`FAILED: ${f.repo}: ${f.error}`);
  for (const id of report.removed) out.line(`removed older backup ${id} (--keep)`);
  out.line(
    report.dryRun
      ? `dry run: would write ${formatBytes(report.writtenBytes)} to ${report.target} (${formatBytes(report.reusedBytes)} unchanged since the last backup)`
      : `backup ${report.id} written to ${report.target} in ${formatDuration(report.tookMs)}: ${formatBytes(report.writtenBytes)} uploaded, ${formatBytes(report.reusedBytes)} unchanged`,
  );
}

function printRestore(out: Output, report: RestoreReport): void {
  out.line(
    `restored backup ${report.id} (${report.createdAt}, gitlore ${report.gitloreVersion}) from ${report.from} in ${formatDuration(report.tookMs)}: the database and ${report.clones} clones, ${formatBytes(report.bytes)}, every checksum verified`,
  );
  for (const r of report.reindex) out.line(`marked for re-index: ${r.repo} (${r.reason}); run \`gitlore index\``);
  for (const name of report.resync) out.line(`not in the backup: the clone of ${name}; run \`gitlore sync\``);
  out.line('vector search graphs are rebuilt from the restored vectors on the first index or serve.');
}

export const registerBackup: RegisterCommand = (program, ctx) => {
  program
    .command('backup')
    .description('backs up the database (a consistent snapshot, safe while serving), the clones and a checksummed manifest')
    .requiredOption('--to <location>', 'a folder or s3://bucket/prefix')
    .option('--keep <n>', 'keep the newest N backups there; older ones (and objects only they used) are deleted')
    .option('--dry-run', 'list what would be written, with sizes; write nothing')
    .option('--json', 'one JSON document')
    .addHelpText(
      'after',
      '\nClones are stored as git bundles; a repository whose refs are unchanged since the newest backup in the same\nlocation is not uploaded again. The manifest is written last: a backup cut short is never restored.\nS3 uses the standard AWS credential chain; AWS_ENDPOINT_URL_S3 selects an S3-compatible server.',
    )
    .action(
      ctx.action(async (opts: { to: string; keep?: string; dryRun?: boolean; json?: boolean }) => {
        const config = await ctx.config();
        // Opening the store would create an empty one, and back that up as if it were the installation.
        if (!config.databaseUrl && !existsSync(config.dbPath)) {
          throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, `There is no gitlore database at ${config.dbPath} to back up.`, {
            hint: 'Set GITLORE_DATA_DIR (or --data-dir) to the data folder of the installation to back up.',
          });
        }
        const app = await ctx.app();
        const [{ createBackup }, { createContext }, { packageVersion }] = await Promise.all([
          import('../core/backup/index.js'),
          import('../core/context.js'),
          import('../mcp/version.js'),
        ]);
        const progress = ctx.terminal.progress({ quiet: opts.json === true });
        const keep = opts.keep === undefined ? undefined : Number(opts.keep);
        const report = await untilInterrupted(progress, (signal) =>
          createBackup(
            { to: opts.to, keep, dryRun: opts.dryRun === true, version: packageVersion() },
            createContext(app, {
              signal,
              emit: (event) => {
                const e = event as BackupEvent;
                if (e.type === 'backup-phase') progress.start(e.total, e.label);
                else if (e.type === 'backup-item' && e.name !== 'sqlite' && e.name !== 'postgres') progress.tick(e.name);
                else if (e.type === 'backup-failed') progress.tick(`${e.name} (failed)`);
              },
            }),
          ),
        );
        progress.stop();
        if (!report) {
          ctx.terminal.line('gitlore: backup cancelled; nothing of it will be restored (its manifest was not written).');
          return EXIT_INTERRUPTED;
        }
        if (opts.json) ctx.out.json(report);
        else printBackup(ctx.out, report);
        if (report.failed.length > 0) {
          ctx.terminal.line(
            `gitlore: backup ${report.id} is missing ${report.failed.length} clone(s) that could not be bundled; check them with \`git fsck\` or remove and sync them again.`,
          );
          return EXIT_FAILURE;
        }
        return 0;
      }),
    );

  program
    .command('restore')
    .description('restores a backup into an empty data folder, checking every checksum first')
    .requiredOption('--from <location>', 'a folder or s3://bucket/prefix')
    .option('--id <id>', 'the backup to restore (default: the newest complete one)')
    .option('--json', 'one JSON document')
    .action(
      ctx.action(async (opts: { from: string; id?: string; json?: boolean }) => {
        const config = await ctx.config();
        const { restoreBackup } = await import('../core/backup/index.js');
        const progress = ctx.terminal.progress({ quiet: opts.json === true });
        const report = await untilInterrupted(progress, (signal) =>
          restoreBackup(config, {
            from: opts.from,
            id: opts.id,
            signal,
            onEvent: (e: RestoreEvent) => {
              if (e.type === 'restore-phase') progress.start(e.total, e.label);
              else progress.tick(e.name);
            },
          }),
        );
        progress.stop();
        if (!report) {
          ctx.terminal.line('gitlore: restore cancelled; the data folder was left as it was.');
          return EXIT_INTERRUPTED;
        }
        if (opts.json) ctx.out.json(report);
        else printRestore(ctx.out, report);
        return 0;
      }),
    );
};
