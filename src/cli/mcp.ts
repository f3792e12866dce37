import { serveStdio } from '../mcp/stdio.js';
import type { RegisterCommand } from './context.js';
import { action } from './run.js';

export const registerMcp: RegisterCommand = (program, ctx) => {
  program
    .command('mcp')
    .description('serve the MCP tools over stdio (for Claude Desktop, Cursor, VS Code…); stdout carries JSON-RPC only')
    .addHelpText(
      'after',
      '\nClient config example:\n  {"mcpServers": {"gitlore": {"command": "gitlore", "args": ["mcp"], "env": {"GITLORE_DATA_DIR": "/srv/gitlore"}}}}',
    )
    .action(
      action(async () => {
        const app = await ctx.app();
        await serveStdio(app);
      }),
    );
};
