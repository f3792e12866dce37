import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { App } from '../core/app.js';
import { readRepoFile } from '../core/repoOverview.js';
import { ALL_TOOLS, type AnyTool } from '../core/tools/index.js';
import { toGitloreError } from '../shared/errors.js';
import { redact } from '../shared/redact.js';

export interface McpServerOptions {
  version: string;
  tools?: readonly AnyTool[];
}

export const FILE_RESOURCE_TEMPLATE = 'gitlore://repo/{repo}/file/{+path}';

/** Runs one tool and shapes the MCP result: structured content plus text, or a tool error with a clear message. */
export async function callTool(app: App, tool: AnyTool, input: Record<string, unknown>, signal?: AbortSignal): Promise<CallToolResult> {
  try {
    const output = await tool.execute(app, input, { signal });
    return { content: [{ type: 'text', text: tool.toText(output) }], structuredContent: output as Record<string, unknown> };
  } catch (error) {
    const err = toGitloreError(error);
    if (err.code === 'INTERNAL') app.log.error(`tool ${tool.name} failed`, { error: err.message });
    return { content: [{ type: 'text', text: redact(`${err.code}: ${err.toLine()}`) }], isError: true };
  }
}

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
        "gitlore answers questions about the code and history of an organization's repositories. Start with list_repos, then search_code / find_symbol / get_file for code and get_commit_timeline / get_commit / get_contributors for history.",
    },
  );
  for (const tool of options.tools ?? ALL_TOOLS) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema,
        annotations: { title: tool.title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      },
      // biome-ignore lint/suspicious/noExplicitAny: the SDK infers args from the schema; ours are already validated by it
      async (args: any, extra: { signal?: AbortSignal }) => callTool(app, tool, (args ?? {}) as Record<string, unknown>, extra?.signal),
    );
  }

  server.registerResource(
    'repository-file',
    new ResourceTemplate(FILE_RESOURCE_TEMPLATE, {
      list: async () => {
        const repos = await app.store.repos.list();
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
        repo: async (value) => (await app.store.repos.list()).map((r) => r.name).filter((n) => n.startsWith(value)),
      },
    }),
    {
      title: 'Repository file',
      description: 'A file of a synced repository at HEAD: gitlore://repo/{repo}/file/{path}',
      mimeType: 'text/plain',
    },
    async (uri, variables) => {
      const repo = decodeURIComponent(String(variables.repo));
      const path = decodeURIComponent(String(variables.path));
      const file = await readRepoFile(app, repo, path);
      return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: file.text }] };
    },
  );
  return server;
}
