import { z } from 'zod';
import { ERROR_CODES } from '../shared/errors.js';
import type { RouteSpec } from './routes/route.js';

type Json = Record<string, unknown>;

const errorSchema: Json = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string', enum: Object.values(ERROR_CODES) }, message: { type: 'string' }, hint: { type: 'string' } },
    },
  },
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { unrepresentable: 'any', io }) as Json;
  return rest;
}

/** `/api/files/:repo/*` → `/api/files/{repo}/{path}`: a trailing `*` is named by the last path parameter. */
export function openApiPath(spec: Pick<RouteSpec, 'path' | 'params'>): string {
  const wildcard = spec.params ? Object.keys(spec.params.shape).at(-1) : undefined;
  return spec.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\/\*$/, `/{${wildcard ?? 'path'}}`);
}

function parameters(schema: z.ZodObject | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || (object.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
      ...(rest.type === 'array' ? { explode: true } : {}),
    };
  });
}

function operation(spec: RouteSpec, publicRoutes: readonly string[]): Json {
  const status = String(spec.response.status ?? 200);
  const params = [...parameters(spec.params, 'path'), ...parameters(spec.query, 'query')];
  return {
    summary: spec.summary,
    ...(publicRoutes.includes(spec.path) ? { security: [] } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(spec.body ? { requestBody: { required: false, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } } } : {}),
    responses: {
      [status]: {
        description: spec.response.description,
        content: { 'application/json': { schema: spec.response.schema ? jsonSchema(spec.response.schema, 'output') : { type: 'object' } } },
      },
      '4XX': {
        description:
          'Bad request, unknown repo/file, missing token; on POST also 403 for a cross-site Origin and 415 for a body that is not application/json',
        content: { 'application/json': { schema: errorSchema } },
      },
    },
  };
}

/** The OpenAPI 3.1 description of the HTTP API, written from the route declarations (served at /api/openapi.json). */
export function openApiDocument(specs: readonly RouteSpec[], options: { version: string; publicRoutes: readonly string[] }): Json {
  const paths: Record<string, Json> = {};
  for (const spec of specs) {
    const methods = spec.method === 'all' ? (spec.methods ?? ['get', 'post']) : [spec.method];
    const path = openApiPath(spec);
    paths[path] ??= {};
    const entry = paths[path];
    for (const method of methods) entry[method] = operation(spec, options.publicRoutes);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'gitlore',
      version: options.version,
      description: 'Code search, history and repository data for an organization. MCP is served at /mcp.',
    },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token (`gitlore token create`, or the account page); required when HOST is not loopback or sign-in is on.',
        },
      },
      schemas: { Error: errorSchema },
    },
    security: [{ bearer: [] }],
    paths,
  };
}
