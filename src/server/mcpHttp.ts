import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { App } from '../core/app.js';
import type { Principal } from '../core/context.js';
import type { AnyTool } from '../core/tools/index.js';
import { createMcpServer } from '../mcp/server.js';

/**
 * Streamable HTTP in stateless mode: each POST gets a fresh server and
 * transport, answered as plain JSON. No session state to lose on restart and
 * nothing shared between clients; registering eight tools costs microseconds.
 */
export async function handleMcpRequest(
  app: App,
  request: Request,
  options: { version: string; tools?: readonly AnyTool[]; principal?: Principal },
): Promise<Response> {
  const server = createMcpServer(app, { version: options.version, tools: options.tools, principal: options.principal });
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  try {
    return await transport.handleRequest(request);
  } finally {
    // The JSON response is complete once handleRequest returns.
    void server.close().catch(() => undefined);
  }
}
