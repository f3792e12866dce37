import type { Command } from 'commander';
import type { ResolvedConfig, SettingKey } from '../config/index.js';
import type { App } from '../core/app.js';
import type { Terminal } from './progress.js';
import type { CliStream, Output } from './render.js';

/** What one CLI run reads and writes; `run(argv, io)` in main.ts takes it, so tests run the CLI in-process. */
export interface CliIo {
  stdout: CliStream;
  stderr: CliStream;
  /** Environment the configuration is resolved from (process.env when absent). */
  env?: Record<string, string | undefined>;
  /** Folder of `.env` and `gitlore.config.json` (the process's when absent). */
  cwd?: string;
  /** Standard input, for `gitlore search -` (the process's when absent). */
  stdin?: AsyncIterable<string | Buffer>;
}

export interface CliContext {
  /** Resolves config and opens the store on first use (so --help never touches disk). */
  app(flags?: Partial<Record<SettingKey, unknown>>): Promise<App>;
  /** The resolved configuration (global flags applied) without opening the store. */
  config(): Promise<ResolvedConfig>;
  /** Global options: --quiet silences logs and progress. */
  readonly quiet: boolean;
  /** stdout: the command's data only. */
  readonly out: Output;
  /** stderr: log lines, notices and progress. */
  readonly terminal: Terminal;
  /** Standard input (read only by commands that take text from it). */
  readonly stdin: AsyncIterable<string | Buffer>;
  /**
   * Wraps a command action: a thrown error becomes one line on stderr and the exit code for its
   * cause; a returned number is the exit code.
   */
  action<A extends unknown[]>(fn: (...args: A) => Promise<unknown>): (...args: A) => Promise<void>;
}

export type RegisterCommand = (program: Command, ctx: CliContext) => void;
