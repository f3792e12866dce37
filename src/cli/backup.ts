import { existsSync } from 'node:fs';
import type { BackupEvent, BackupReport, RebuildEvent, RebuildReport, RestoreEvent, RestoreReport } from '../core/backup/index.js';
import type { IndexEvent } from '../core/indexRepos.js';
import type { SyncEvent } from '../core/syncRepos.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { formatBytes } from '../shared/statusView.js';
import type { CliContext, RegisterCommand } from './context.js';
import { EXIT_FAILURE, EXIT_INTERRUPTED } from './exitCodes.js';
import { showIndexProgress } from './indexRepos.js';
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

function printRestore(out: Output, report: RestoreReport, rebuild: RebuildReport | null): void {
  out.line(
    `restored backup ${report.id} (${report.createdAt}, gitlore ${report.gitloreVersion}) from ${report.from} in ${formatDuration(report.tookMs)}: the database and ${report.clones} clones, ${formatBytes(report.bytes)}, every checksum verified`,
  );
  if (rebuild) {
    for (const r of report.reindex) out.line(`index did not match: ${r.repo} (${r.reason})`);
    for (const name of rebuild.synced) out.line(`cloned again from its origin (not in the backup): ${name}`);
    for (const name of rebuild.indexed) out.line(`re-indexed: ${name}`);
    for (const f of rebuild.failed) out.line(`NOT REBUILT: ${f.repo} (${f.step} failed: ${f.error}); run \`gitlore ${f.step}\``);
  } else {
    for (const r of report.reindex) out.line(`marked for re-index: ${r.repo} (${r.reason}); run \`gitlore index\``);
    for (const name of report.resync) out.line(`not in the backup: the clone of ${name}; run \`gitlore sync\``);
  }
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
    .option(
      '--no-reindex',
      'only restore: leave repositories whose clone or index did not match marked for `gitlore sync` / `gitlore index`',
    )
    .option('--json', 'one JSON document')
    .addHelpText(
      'after',
      '\nAfter the restore, repositories whose index did not match their clone are indexed again, and clones that were not\nin the backup are cloned again from their origin, so search answers as it did (--no-reindex leaves that to\n`gitlore sync` and `gitlore index`, or to `serve`).',
    )
    .action(
      ctx.action(async (opts: { from: string; id?: string; reindex?: boolean; json?: boolean }) => {
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
        let rebuild: RebuildReport | null = null;
        if (opts.reindex !== false && (report.reindex.length > 0 || report.resync.length > 0)) {
          rebuild = await rebuildAfterRestore(ctx, report, opts.json === true);
          if (!rebuild) {
            ctx.terminal.line(
              'gitlore: the re-index after the restore was cancelled; the restore itself is complete. Run `gitlore sync` and `gitlore index` to finish.',
            );
            return EXIT_INTERRUPTED;
          }
        }
        if (opts.json) ctx.out.json(rebuild ? { ...report, rebuild } : report);
        else printRestore(ctx.out, report, rebuild);
        if (rebuild && rebuild.failed.length > 0) {
          ctx.terminal.line(
            `gitlore: restored, but ${rebuild.failed.length} repositories could not be rebuilt (${rebuild.failed.map((f) => f.repo).join(', ')}); their search answers are missing until \`gitlore sync\` and \`gitlore index\` succeed.`,
          );
          return EXIT_FAILURE;
        }
        return 0;
      }),
    );
};

/** Clones again and re-indexes what the restore's check found missing, with the sync's and the index's progress. */
async function rebuildAfterRestore(ctx: CliContext, report: RestoreReport, quiet: boolean): Promise<RebuildReport | null> {
  const app = await ctx.app();
  const [{ rebuildRestored }, { createContext }] = await Promise.all([import('../core/backup/index.js'), import('../core/context.js')]);
  const progress = ctx.terminal.progress({ quiet });
  const showIndex = showIndexProgress(progress);
  let step: 'sync' | 'index' = 'sync';
  const rebuild = await untilInterrupted(progress, (signal) =>
    rebuildRestored(
      report,
      createContext(app, {
        signal,
        emit: (event) => {
          const e = event as RebuildEvent | IndexEvent | SyncEvent;
          if (e.type === 'rebuild-step') {
            step = e.step;
            progress.start(e.repos, e.step === 'sync' ? 'cloning again what the backup did not hold' : 're-indexing');
          } else if (step === 'index') showIndex(e as IndexEvent);
          else if (e.type === 'repo-done') {
            const { result } = e as Extract<SyncEvent, { type: 'repo-done' }>;
            progress.tick(`${result.name} ${result.status}`);
          }
        },
      }),
    ),
  );
  progress.stop();
  return rebuild;
}
