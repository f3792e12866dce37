import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { RegisterCommand } from './context.js';
import { action } from './run.js';

export const registerShow: RegisterCommand = (program) => {
  program
    .command('show')
    .description('(not implemented yet)')
    .allowUnknownOption()
    .action(
      action(async () => {
        throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, '`gitlore show` is not implemented yet.');
      }),
    );
};
