import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { App } from '../core/app.js';
import { servedTools } from '../core/ask/askCodebaseTool.js';
import { createContext, type Principal } from '../core/context.js';
import { visibleRepos } from '../core/repoGate.js';
import { readRepoFile } from '../core/repoOverview.js';
import type { AnyTool } from '../core/tools/index.js';
import { registerTools } from './registerTools.js';

export { callTool } from './registerTools.js';

export interface McpServerOptions {
  version: string;
  tools?: readonly AnyTool[];
  /** Who the calls act for; the anonymous local user by default. */
  principal?: Principal;
}

export const FILE_RESOURCE_TEMPLATE = 'gitlore://repo/{repo}/file/{+path}';

/**
 * One MCP server over the shared tool list: every tool read-only with input
 * and output schemas, and each repository's files as resources.
 */
export function createMcpServer(app: App, options: McpServerOptions): McpServer {
  const server = new McpServer(
    { name: 'gitlore', version: options.version },
    {
      capabilities: { tools: {}, resources: {} },
      instructions:
        "gitlore answers questions about the code and history of an organization's repositories. Start with list_repos, then search_code / find_symbol / get_file for code and get_commit_timeline / get_commit / get_contributors / blame for history.",
    },
  );
  registerTools(server, app, options.tools ?? servedTools(app.config), options.principal);
  const context = (signal?: AbortSignal) => createContext(app, { principal: options.principal, signal });

  server.registerResource(
    'repository-file',
    new ResourceTemplate(FILE_RESOURCE_TEMPLATE, {
      list: async (extra) => {
        const repos = await visibleRepos(context(extra?.signal));
        return {
          resources: repos
            .filter((r) => r.headCommit)
            .map((r) => ({
              uri: `gitlore://repo/${encodeURIComponent(r.name)}/file/README.md`,
              name: `${r.name}/README.md`,
              mimeType: 'text/markdown',
            })),
        };
      },
      complete: {
        repo: async (value) => (await visibleRepos(context())).map((r) => r.name).filter((n) => n.startsWith(value)),
      },
    }),
    {
      title: 'Repository file',
      description: 'A file of a synced repository at HEAD: gitlore://repo/{repo}/file/{path}',
      mimeType: 'text/plain',
    },
    async (uri, variables, extra) => {
      const repo = decodeURIComponent(String(variables.repo));
      const path = decodeURIComponent(String(variables.path));
      const file = await readRepoFile({ repo, path }, context(extra?.signal));
      return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: file.text }] };
    },
  );
  return server;
}
