import { readFileSync } from 'node:fs';
import type { CliContext } from './cli/context.js';
import { buildProgram, CommanderError, exitCodeForCommanderError } from './cli/program.js';
import { reportError } from './cli/run.js';
import { loadConfig, type SettingKey } from './config/index.js';
import type { App } from './core/app.js';
import { createServices } from './core/services.js';
import type { LogLevel } from './shared/logger.js';

/**
 * Composition root: resolves config, opens the store and hands the App to the
 * command that runs. The only module that wires concrete parts together.
 */
export async function createApp(flags: Partial<Record<SettingKey, unknown>> = {}, logLevel?: LogLevel): Promise<App> {
  const config = loadConfig({ flags });
  return createServices(config, { logLevel });
}

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function main(argv: string[]): Promise<void> {
  // `gitlore … | head` closes stdout early; that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const globalFlags = {
    quiet: argv.includes('-q') || argv.includes('--quiet'),
    verbose: argv.includes('-v') || argv.includes('--verbose'),
  };
  let app: App | null = null;
  const ctx: CliContext = {
    quiet: globalFlags.quiet,
    config() {
      const dataDir = program.opts().dataDir as string | undefined;
      return loadConfig({ flags: dataDir ? { dataDir } : {} });
    },
    async app(flags = {}) {
      if (app) return app;
      const dataDir = program.opts().dataDir as string | undefined;
      const level: LogLevel | undefined = globalFlags.quiet ? 'warn' : globalFlags.verbose ? 'debug' : undefined;
      app = await createApp({ ...(dataDir ? { dataDir } : {}), ...flags }, level);
      return app;
    },
  };
  const program = buildProgram(ctx, readVersion());
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) process.exitCode = exitCodeForCommanderError(error);
    else reportError(error);
  } finally {
    // `serve` and `mcp` keep running on their own handles; everything else closes the store here.
    if (app && !(app as App & { keepOpen?: boolean }).keepOpen) await (app as App).close();
  }
}

await main(process.argv);
