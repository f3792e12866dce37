import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { RegisterCommand } from './context.js';

export const registerAsk: RegisterCommand = (program, ctx) => {
  program
    .command('ask')
    .description('answer a question in plain language with an LLM (not available in this build yet)')
    .argument('<question>', 'the question')
    .option('--repo <name...>', 'limit to these repositories')
    .option('--json', 'print one JSON document')
    .action(
      ctx.action(async () => {
        throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, '`gitlore ask` is not available in this build yet.', {
          hint: 'Use `gitlore search` and `gitlore log`, or the MCP tools from your own agent.',
        });
      }),
    );
};
