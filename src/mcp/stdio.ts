import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { App } from '../core/app.js';
import { createMcpServer } from './server.js';
import { packageVersion } from './version.js';

/**
 * Serves MCP over stdin/stdout until the client closes stdin or a signal
 * arrives. stdout carries JSON-RPC only; logs go to stderr.
 */
export async function serveStdio(app: App): Promise<void> {
  // Libraries loaded later (the embedding runtime, for one) may console.log; keep stdout for JSON-RPC.
  const toStderr = (...args: unknown[]) => process.stderr.write(`${args.map((a) => (typeof a === 'string' ? a : String(a))).join(' ')}\n`);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  const server = createMcpServer(app, { version: packageVersion() });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.connect(transport);
  app.log.debug('MCP server on stdio ready');
  await closed;
  await server.close().catch(() => undefined);
}
