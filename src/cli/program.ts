import { Command, CommanderError } from 'commander';
import { registerAsk } from './ask.js';
import { registerAudit } from './audit.js';
import { registerBackup } from './backup.js';
import { registerBlame } from './blame.js';
import type { CliContext, CliIo, RegisterCommand } from './context.js';
import { EXIT_USAGE } from './exitCodes.js';
import { registerIndex } from './indexRepos.js';
import { registerLog } from './log.js';
import { registerMcp } from './mcp.js';
import { registerMigrate } from './migrate.js';
import { registerPermissions } from './permissions.js';
import { registerRefs } from './refs.js';
import { registerRepo } from './repo.js';
import { registerSearch } from './search.js';
import { registerServe } from './serve.js';
import { registerShow } from './show.js';
import { registerStatus } from './status.js';
import { registerSync } from './sync.js';
import { registerToken } from './token.js';
import { registerWorker } from './worker.js';

const COMMANDS: RegisterCommand[] = [
  registerRepo,
  registerSync,
  registerIndex,
  registerSearch,
  registerRefs,
  registerLog,
  registerShow,
  registerBlame,
  registerAsk,
  registerServe,
  registerMcp,
  registerWorker,
  registerToken,
  registerAudit,
  registerPermissions,
  registerMigrate,
  registerBackup,
  registerStatus,
];

/**
 * The whole command tree, for --help and parsing. Registering a command loads only its flags and help:
 * what it runs (core, store, server, MCP) is imported by its action, so `--version` and `--help` stay light.
 */
export function buildProgram(ctx: CliContext, version: string, io: Pick<CliIo, 'stdout' | 'stderr'>): Command {
  const program = new Command('gitlore')
    .description('Code intelligence for a whole GitHub organization: sync, index, search, history, MCP.')
    .version(version, '-V, --version')
    .option('--data-dir <dir>', 'data folder (GITLORE_DATA_DIR)')
    .option('-q, --quiet', 'no progress or info logs on stderr')
    .option('-v, --verbose', 'debug logs on stderr')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  for (const register of COMMANDS) register(program, ctx);
  for (const command of program.commands) applyExitOverride(command);
  return program;
}

function applyExitOverride(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) applyExitOverride(sub);
}

/** Commander reports usage errors by throwing; map them to exit code 2 (0 for --help/--version). */
export function exitCodeForCommanderError(error: CommanderError): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
  return error.exitCode === 0 ? 0 : EXIT_USAGE;
}

export { CommanderError };
