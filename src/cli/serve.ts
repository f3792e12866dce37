import type { RegisterCommand } from './context.js';
import { shutdownSignal } from './run.js';

export const registerServe: RegisterCommand = (program, ctx) => {
  program
    .command('serve')
    .description('HTTP API + MCP over HTTP (/mcp); serves first, then syncs and indexes in the background every GITLORE_SYNC_INTERVAL')
    .option('--port <n>', 'listen port (PORT, default 3000; 0 picks a free one)')
    .option('--host <host>', 'listen address (HOST, default 127.0.0.1; any other host requires API tokens)')
    .option('--no-sync', 'no background sync/index on start or on the interval (POST /api/sync and webhooks still work)')
    .addHelpText(
      'after',
      '\nEnv: HOST, PORT, SKIP_CLONE, SKIP_AUTO_INDEX, GITLORE_SYNC_INTERVAL (seconds, 0 = off), GITHUB_WEBHOOK_SECRET, GITLORE_PERMISSION_SYNC_INTERVAL (seconds; with sign-in on, GitHub permissions are mirrored on this interval even with --no-sync).\nRoutes: see /api/openapi.json. Stop with SIGTERM/Ctrl-C: in-flight requests finish, the running job is cancelled cleanly.',
    )
    .action(
      ctx.action(async (opts: { port?: string; host?: string; sync: boolean }) => {
        const app = await ctx.app({ ...(opts.port !== undefined ? { port: opts.port } : {}), ...(opts.host ? { host: opts.host } : {}) });
        const [{ createJobQueue }, { packageVersion }, { startServer }] = await Promise.all([
          import('../core/jobs.js'),
          import('../mcp/version.js'),
          import('../server/serve.js'),
        ]);
        const stop = shutdownSignal();
        const server = await startServer({
          app,
          version: packageVersion(),
          host: app.config.host,
          port: app.config.port,
          jobs: createJobQueue(app, { background: opts.sync }),
          background: opts.sync,
        });
        ctx.out.line(
          `gitlore ${packageVersion()} serving on ${server.url} (web app ${server.url}/${app.config.auth !== 'none' ? ` behind ${app.config.auth} sign-in` : ''}, API ${server.url}/api, MCP ${server.url}/mcp${server.requireAuth ? ', token required' : ''})`,
        );
        const signal = await stop;
        app.log.info(`${signal}: shutting down`);
        await server.close();
        app.log.info('stopped');
        // Everything of ours is closed; if a library still holds the event loop open, do not hang.
        setTimeout(() => process.exit(process.exitCode ?? 0), 3000).unref();
      }),
    );
};
