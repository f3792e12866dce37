import { jobProgress, jobTitle } from '../shared/statusView.js';
import type { RegisterCommand } from './context.js';
import { formatAgo } from './render.js';

export const registerStatus: RegisterCommand = (program, ctx) => {
  program
    .command('status')
    .description('show the resolved configuration (secrets masked) and a summary of repositories')
    .option('--json', 'print one JSON document')
    .action(
      ctx.action(async (opts: { json?: boolean }) => {
        const app = await ctx.app();
        const [{ describeConfig }, { readJobStatus }] = await Promise.all([import('../config/index.js'), import('../core/jobs.js')]);
        // The shared queue of PostgreSQL (null on SQLite, where only the running `serve` knows its jobs: GET /api/sync/status).
        const jobs = await readJobStatus(app);
        const repos = await app.store.repos.list();
        const byStatus: Record<string, number> = {};
        for (const repo of repos) byStatus[repo.syncStatus] = (byStatus[repo.syncStatus] ?? 0) + 1;
        const lastSync =
          repos
            .map((r) => r.lastSyncAt)
            .filter(Boolean)
            .sort()
            .at(-1) ?? null;
        const summary = {
          version: program.version(),
          store: app.store.kind,
          dataDir: app.config.dataDir,
          configFile: app.config.configFile,
          sources: app.config.sources.map((s) => ({ ...s, ...('token' in s && s.token ? { token: '***' } : {}) })),
          repos: { total: repos.length, byStatus, lastSync },
          config: describeConfig(app.config),
          jobs,
        };
        if (opts.json) return ctx.out.json(summary);
        ctx.out.line(`gitlore ${summary.version} — store ${summary.store} at ${app.config.dbPath}`);
        ctx.out.line(`config file: ${summary.configFile ?? '(none)'}`);
        ctx.out.line(
          `repositories: ${repos.length} (${
            Object.entries(byStatus)
              .map(([k, v]) => `${v} ${k}`)
              .join(', ') || 'none'
          }), last sync ${formatAgo(lastSync)}`,
        );
        if (jobs) {
          const dead = jobs.recent.filter((j) => j.state === 'dead' || j.state === 'failed').length;
          ctx.out.line(
            `jobs: ${jobs.runningJobs.length} running, ${jobs.queued.length} queued${dead > 0 ? `, ${dead} failed recently` : ''}`,
          );
          for (const job of jobs.runningJobs) ctx.out.line(`  #${job.id} ${jobTitle(job)}: ${jobProgress(job)} (${job.worker ?? '?'})`);
          for (const job of jobs.recent.filter((j) => j.state === 'dead'))
            ctx.out.line(`  #${job.id} ${jobTitle(job)} dead after ${job.attempts} attempts: ${job.error ?? ''}`);
        }
        ctx.out.line(`sources: ${summary.sources.length === 0 ? '(none configured)' : ''}`);
        for (const s of app.config.sources)
          ctx.out.line(`  ${s.type} ${'org' in s ? `org ${s.org}` : 'user' in s ? `user ${s.user}` : 'url' in s ? s.url : s.path}`);
        ctx.out.line();
        ctx.out.table(
          ['setting', 'env', 'value', 'from'],
          Object.entries(summary.config).map(([k, v]) => [
            k,
            v.env,
            v.value === null ? '-' : typeof v.value === 'string' ? v.value : JSON.stringify(v.value),
            v.source,
          ]),
        );
      }),
    );
};
