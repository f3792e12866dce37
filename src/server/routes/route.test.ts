import { Hono } from 'hono';
import { inspectRoutes } from 'hono/dev';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sendError } from '../errors.js';
import { createRoutes } from './route.js';

function table() {
  const http = new Hono();
  http.onError((error, c) => sendError(c, error));
  return { http, routes: createRoutes(http) };
}

describe('createRoutes', () => {
  it('parses the query by its schema, reading array keys as repeated parameters', async () => {
    const { http, routes } = table();
    const query = z.object({
      q: z.string().min(1),
      repo: z.array(z.string()).optional(),
      limit: z.coerce.number().int().max(5).optional(),
    });
    routes.add({ method: 'get', path: '/s', summary: 's', query, what: 's parameters', response: { description: 'ok' } }, (c, input) =>
      c.json(input.query),
    );
    expect(await (await http.request('/s?q=a&repo=x&repo=y&limit=2&other=1')).json()).toEqual({ q: 'a', repo: ['x', 'y'], limit: 2 });
    expect(await (await http.request('/s?q=a&repo=x')).json()).toEqual({ q: 'a', repo: ['x'] });
    const bad = await http.request('/s?q=a&limit=9');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^Invalid s parameters: limit: /);
  });

  it('gives a trailing * to the last path parameter as the raw, still encoded rest of the path', async () => {
    const { http, routes } = table();
    const params = z.object({ repo: z.string(), path: z.string() });
    routes.add({ method: 'get', path: '/files/:repo/*', summary: 'f', params, response: { description: 'ok' } }, (c, input) =>
      c.json(input.params),
    );
    expect(await (await http.request('/files/My%20Repo/src/a%2Fb.ts')).json()).toEqual({ repo: 'My Repo', path: 'src/a%2Fb.ts' });
  });

  it('reads an empty body as {} and refuses malformed JSON before the handler runs', async () => {
    const { http, routes } = table();
    let calls = 0;
    const body = z.object({ repo: z.string().optional() }).strict();
    routes.add({ method: 'post', path: '/b', summary: 'b', body, what: 'b body', response: { description: 'ok' } }, (c, input) => {
      calls += 1;
      return c.json(input.body);
    });
    expect(await (await http.request('/b', { method: 'POST', body: '' })).json()).toEqual({});
    const malformed = await http.request('/b', { method: 'POST', body: '{"repo": ' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { message: string } }).error.message).toContain('Malformed JSON');
    expect((await http.request('/b', { method: 'POST', body: '{"x":1}' })).status).toBe(400);
    expect(calls).toBe(1);
  });

  it('records each declaration and registers handlers, not middleware, on the app', () => {
    const { http, routes } = table();
    routes.add({ method: 'get', path: '/a/:id', summary: 'a', response: { description: 'ok' } }, (c) => c.json({}));
    routes.add({ method: 'all', methods: ['post'], path: '/m', summary: 'm', response: { description: 'ok' } }, (c) => c.json({}));
    expect(routes.specs.map((s) => s.path)).toEqual(['/a/:id', '/m']);
    expect(inspectRoutes(http).map((r) => [r.method, r.path, r.isMiddleware])).toEqual([
      ['GET', '/a/:id', false],
      ['ALL', '/m', false],
    ]);
  });
});
