import type { RegisterCommand } from './context.js';

export const registerMcp: RegisterCommand = (program, ctx) => {
  program
    .command('mcp')
    .description('serve the MCP tools over stdio (for Claude Desktop, Cursor, VS Code…); stdout carries JSON-RPC only')
    .addHelpText(
      'after',
      '\nClient config example:\n  {"mcpServers": {"gitlore": {"command": "gitlore", "args": ["mcp"], "env": {"GITLORE_DATA_DIR": "/srv/gitlore"}}}}',
    )
    .action(
      ctx.action(async () => {
        const app = await ctx.app();
        const { serveStdio } = await import('../mcp/stdio.js');
        await serveStdio(app);
      }),
    );
};
