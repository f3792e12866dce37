import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CliContext, CliIo } from './cli/context.js';
import { buildProgram, CommanderError, exitCodeForCommanderError } from './cli/program.js';
import { createTerminal } from './cli/progress.js';
import { createOutput } from './cli/render.js';
import { reportError } from './cli/run.js';
import type { SettingKey } from './config/index.js';
import type { App } from './core/app.js';
import { createLogger, type LogLevel } from './shared/logger.js';
import { redact } from './shared/redact.js';

/** Where createApp reads its settings and writes its log lines (the process's when absent). */
export interface AppIo {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** One log line (no newline); the CLI routes it above its progress bar. */
  writeLog?: (line: string) => void;
  /** The command line (`gitlore index --full`), for the writer lock's record of who writes. */
  invocation?: string;
}

/**
 * Composition root: resolves config, opens the store and hands the App to the
 * command that runs. The only module that wires concrete parts together.
 */
export async function createApp(flags: Partial<Record<SettingKey, unknown>> = {}, logLevel?: LogLevel, io: AppIo = {}): Promise<App> {
  // Imported here, not at the top: the config schema (zod) is a third of `gitlore --version`'s start-up,
  // and the services load the store, git and the embedders.
  const [{ loadConfig }, { createServices }] = await Promise.all([import('./config/index.js'), import('./core/services.js')]);
  const config = loadConfig({ flags, env: io.env, cwd: io.cwd });
  const log = createLogger('gitlore', {
    level: logLevel ?? (config.logLevel as LogLevel),
    write: io.writeLog,
    json: config.logFormat === 'json',
  });
  return createServices(config, { log, ...(io.invocation ? { invocation: io.invocation } : {}) });
}

/** `gitlore index --full` from process.argv-shaped input: what another writer's LOCKED message names. */
function invocationOf(argv: string[]): string {
  return redact(['gitlore', ...argv.slice(2)].join(' ')).slice(0, 200);
}

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Runs one gitlore command line (`argv` as in process.argv: node, script, then the arguments) and
 * returns its exit code. It writes only to `io` and never exits the process, so tests run it in-process.
 */
export async function run(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const env = io.env ?? process.env;
  const quiet = argv.includes('-q') || argv.includes('--quiet');
  const verbose = argv.includes('-v') || argv.includes('--verbose');
  const terminal = createTerminal(io.stderr, { quiet, env });
  const report = (error: unknown) => reportError(error, terminal.line, Boolean(env.GITLORE_DEBUG), terminal.live);
  const dataDirFlag = () => {
    const dataDir = program.opts().dataDir as string | undefined;
    return dataDir ? { dataDir } : {};
  };
  let exitCode = 0;
  let app: App | null = null;
  const ctx: CliContext = {
    quiet,
    out: createOutput(io.stdout),
    terminal,
    stdin: io.stdin ?? process.stdin,
    async config() {
      const { loadConfig } = await import('./config/index.js');
      return loadConfig({ flags: dataDirFlag(), env, cwd: io.cwd });
    },
    async app(flags = {}) {
      if (app) return app;
      const level: LogLevel | undefined = quiet ? 'warn' : verbose ? 'debug' : undefined;
      app = await createApp({ ...dataDirFlag(), ...flags }, level, {
        env,
        cwd: io.cwd,
        writeLog: terminal.line,
        invocation: invocationOf(argv),
      });
      return app;
    },
    action(fn) {
      return async (...args) => {
        try {
          const code = await fn(...args);
          if (typeof code === 'number' && code !== 0) exitCode = code;
        } catch (error) {
          exitCode = report(error);
        }
      };
    },
  };
  const program = buildProgram(ctx, readVersion(), io);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    exitCode = error instanceof CommanderError ? exitCodeForCommanderError(error) : report(error);
  } finally {
    // `serve` and `mcp` keep running on their own handles; everything else closes the store here.
    if (app && !(app as App & { keepOpen?: boolean }).keepOpen) await (app as App).close();
  }
  return exitCode;
}

// Run as a script (`node --import tsx src/main.ts …`: development, and tests that need a real process);
// the installed CLI enters through bin/gitlore.js. Imported as a module, this file runs nothing.
if (isEntryScript(import.meta.url)) process.exitCode = await run(process.argv);

function isEntryScript(moduleUrl: string): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}
