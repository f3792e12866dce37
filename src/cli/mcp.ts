import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { RegisterCommand } from './context.js';
import { action } from './run.js';

export const registerMcp: RegisterCommand = (program) => {
  program
    .command('mcp')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(
      action(async () => {
        throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, '`gitlore mcp` is not implemented yet.');
      }),
    );
};
