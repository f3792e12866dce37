import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { RegisterCommand } from './context.js';
import { action } from './run.js';

export const registerAsk: RegisterCommand = (program) => {
  program
    .command('ask')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(
      action(async () => {
        throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, '`gitlore ask` is not implemented yet.');
      }),
    );
};
