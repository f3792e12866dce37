import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { RegisterCommand } from './context.js';
import { action } from './run.js';

export const registerServe: RegisterCommand = (program) => {
  program
    .command('serve')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(
      action(async () => {
        throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, '`gitlore serve` is not implemented yet.');
      }),
    );
};
