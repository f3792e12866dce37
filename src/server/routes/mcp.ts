import { handleMcpRequest } from '../mcpHttp.js';
import { principalOf } from '../principal.js';
import type { RouteDeps } from './deps.js';
import type { Routes } from './route.js';

/** MCP over Streamable HTTP; the transport answers each method itself (405 for those it does not speak). */
export function registerMcpRoutes(routes: Routes, deps: RouteDeps): void {
  routes.add(
    {
      method: 'all',
      methods: ['post', 'get', 'delete'],
      path: '/mcp',
      summary: 'MCP over Streamable HTTP (stateless, JSON responses)',
      response: { description: 'JSON-RPC response' },
    },
    (c) => handleMcpRequest(deps.app, c.req.raw, { version: deps.version, tools: deps.tools, principal: principalOf(c) }),
  );
}
