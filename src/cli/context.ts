import type { Command } from 'commander';
import type { ResolvedConfig, SettingKey } from '../config/index.js';
import type { App } from '../core/app.js';

export interface CliContext {
  /** Resolves config and opens the store on first use (so --help never touches disk). */
  app(flags?: Partial<Record<SettingKey, unknown>>): Promise<App>;
  /** The resolved configuration (global flags applied) without opening the store. */
  config(): ResolvedConfig;
  /** Global options: --quiet silences logs and progress. */
  readonly quiet: boolean;
}

export type RegisterCommand = (program: Command, ctx: CliContext) => void;
