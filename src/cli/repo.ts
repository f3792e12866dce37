import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { RegisterCommand } from './context.js';
import { action } from './run.js';

export const registerRepo: RegisterCommand = (program) => {
  program
    .command('repo')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(
      action(async () => {
        throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, '`gitlore repo` is not implemented yet.');
      }),
    );
};
