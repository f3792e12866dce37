import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openApiDocument, openApiPath } from './openApiDocument.js';
import type { RouteSpec } from './routes/route.js';

const specs: RouteSpec[] = [
  { method: 'get', path: '/health', summary: 'h', response: { description: 'up' } },
  {
    method: 'get',
    path: '/api/files/:repo/*',
    summary: 'f',
    params: z.object({ repo: z.string(), path: z.string().describe('file path') }),
    query: z.object({ ref: z.string().optional(), n: z.coerce.number().int().max(9) }),
    response: { description: 'file', schema: z.object({ text: z.string() }) },
  },
  { method: 'all', methods: ['post', 'get'], path: '/mcp', summary: 'm', response: { description: 'rpc' } },
  {
    method: 'post',
    path: '/api/sync',
    summary: 's',
    body: z.object({ repo: z.string().optional() }),
    response: { status: 202, description: 'queued' },
  },
];
// biome-ignore lint/suspicious/noExplicitAny: the test probes the JSON document freely
const doc = openApiDocument(specs, { version: '1.2.3', publicRoutes: ['/health'] }) as any;

describe('openApiDocument', () => {
  it('writes Hono paths the OpenAPI way; a trailing * is named by the last path parameter', () => {
    expect(openApiPath(specs[1] as RouteSpec)).toBe('/api/files/{repo}/{path}');
    expect(Object.keys(doc.paths)).toEqual(['/health', '/api/files/{repo}/{path}', '/mcp', '/api/sync']);
  });

  it('documents parameters from the zod schemas: location, required, description, bounds', () => {
    const parameters = doc.paths['/api/files/{repo}/{path}'].get.parameters;
    expect(parameters).toEqual([
      { name: 'repo', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'path', in: 'path', required: true, description: 'file path', schema: { type: 'string' } },
      { name: 'ref', in: 'query', required: false, schema: { type: 'string' } },
      { name: 'n', in: 'query', required: true, schema: { type: 'integer', minimum: -9007199254740991, maximum: 9 } },
    ]);
    expect(doc.paths['/api/files/{repo}/{path}'].get.responses['200'].content['application/json'].schema.properties).toEqual({
      text: { type: 'string' },
    });
    expect(doc.paths['/api/sync'].post.requestBody.content['application/json'].schema.properties).toEqual({ repo: { type: 'string' } });
    expect(doc.paths['/api/sync'].post.responses).toHaveProperty(['202']);
  });

  it('needs a token exactly on the token paths, and lists an any-method route under its documented methods', () => {
    expect(doc.paths['/health'].get.security).toEqual([]);
    expect(doc.paths['/api/sync'].post).not.toHaveProperty('security');
    expect(Object.keys(doc.paths['/mcp'])).toEqual(['post', 'get']);
    expect(doc.paths['/mcp'].post).not.toHaveProperty('security');
    expect(doc.info.version).toBe('1.2.3');
  });
});
