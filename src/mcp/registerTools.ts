import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createContext, type Principal, type RequestContext } from '../core/context.js';
import type { Services } from '../core/services.js';
import type { AnyTool } from '../core/tools/index.js';
import { strictInput } from '../core/tools/types.js';
import { toGitloreError } from '../shared/errors.js';
import { redact } from '../shared/redact.js';

/** Runs one tool and shapes the MCP result: structured content plus text, or a tool error with a clear message. */
export async function callTool(tool: AnyTool, input: Record<string, unknown>, ctx: RequestContext): Promise<CallToolResult> {
  try {
    const output = await tool.execute(input, ctx);
    return { content: [{ type: 'text', text: tool.toText(output) }], structuredContent: output as Record<string, unknown> };
  } catch (error) {
    const err = toGitloreError(error);
    if (err.code === 'INTERNAL') ctx.services.log.error(`tool ${tool.name} failed`, { error: err.message });
    return { content: [{ type: 'text', text: redact(`${err.code}: ${err.toLine()}`) }], isError: true };
  }
}

/**
 * The MCP adapter of the shared tool definitions: each tool read-only with its input and output
 * schemas; every call gets its own context (the caller's principal, the request's abort signal).
 */
export function registerTools(server: McpServer, services: Services, tools: readonly AnyTool[], principal?: Principal): void {
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: strictInput(tool.inputSchema),
        outputSchema: tool.outputSchema,
        annotations: { title: tool.title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
      },
      // biome-ignore lint/suspicious/noExplicitAny: the SDK infers args from the schema; ours are already validated by it
      async (args: any, extra: { signal?: AbortSignal }) =>
        callTool(tool, (args ?? {}) as Record<string, unknown>, createContext(services, { principal, signal: extra?.signal })),
    );
  }
}
