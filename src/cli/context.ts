import type { Command } from 'commander';
import type { SettingKey } from '../config/index.js';
import type { App } from '../core/app.js';

export interface CliContext {
  /** Resolves config and opens the store on first use (so --help never touches disk). */
  app(flags?: Partial<Record<SettingKey, unknown>>): Promise<App>;
  /** Global options: --quiet silences logs and progress. */
  readonly quiet: boolean;
}

export type RegisterCommand = (program: Command, ctx: CliContext) => void;
