import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import { parse } from '../parse.js';

export type RouteMethod = 'get' | 'post' | 'delete' | 'all';
type DocumentedMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * One route as declared: where it is served, the zod schemas its input is validated with, and what it answers.
 * The same declaration registers the handler and writes the route's entry in /api/openapi.json.
 */
export interface RouteSpec<
  P extends z.ZodObject | undefined = z.ZodObject | undefined,
  Q extends z.ZodObject | undefined = z.ZodObject | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
> {
  method: RouteMethod;
  /** A Hono path: `:name` for a path parameter; a trailing `*` for the rest of the path, named by the last key of `params`. */
  path: string;
  summary: string;
  /** For an `all` route, the methods documented (OpenAPI has no "any method"). */
  methods?: readonly DocumentedMethod[];
  params?: P;
  query?: Q;
  /** A JSON body; an empty body reads as `{}`. */
  body?: B;
  /** Names the input in 400 messages: `Invalid <what>: …`. */
  what?: string;
  response: { status?: 200 | 202; description: string; schema?: z.ZodType };
}

export interface RouteInput<P, Q, B> {
  params: P extends z.ZodType ? z.output<P> : undefined;
  query: Q extends z.ZodType ? z.output<Q> : undefined;
  body: B extends z.ZodType ? z.output<B> : undefined;
}

export interface Routes {
  /** Registers the handler on the app, after the input is parsed by the declared schemas, and records the declaration. */
  add<
    P extends z.ZodObject | undefined = undefined,
    Q extends z.ZodObject | undefined = undefined,
    B extends z.ZodType | undefined = undefined,
  >(spec: RouteSpec<P, Q, B>, handler: (c: Context, input: RouteInput<P, Q, B>) => Response | Promise<Response>): void;
  /** Every route declared so far, in order. */
  readonly specs: readonly RouteSpec[];
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new GitloreError(ERROR_CODES.QUERY_INVALID, 'Malformed JSON in the request body.', {
      hint: 'Send a JSON object with Content-Type: application/json.',
    });
  }
}

/** Query keys whose schema takes an array: they are read as repeated parameters (`?repo=a&repo=b`). */
function repeatedKeys(query: z.ZodObject): string[] {
  const schema = z.toJSONSchema(query, { unrepresentable: 'any', io: 'input' }) as { properties?: Record<string, { type?: unknown }> };
  return Object.entries(schema.properties ?? {})
    .filter(([, property]) => property.type === 'array')
    .map(([key]) => key);
}

/** Path parameters, the wildcard one (if any) as the raw, still URL-encoded rest of the path. */
function pathParams(c: Context, spec: RouteSpec): Record<string, string> {
  const params: Record<string, string> = c.req.param();
  if (spec.path.endsWith('/*') && spec.params) {
    const key = Object.keys(spec.params.shape).at(-1) as string;
    const depth = spec.path.split('/').length - 1;
    params[key] = new URL(c.req.url).pathname.split('/').slice(depth).join('/');
  }
  return params;
}

/** A route table over a Hono app. */
export function createRoutes(http: Hono): Routes {
  const specs: RouteSpec[] = [];
  return {
    specs,
    add(spec, handler) {
      specs.push(spec as RouteSpec);
      const what = spec.what ?? 'request';
      const repeated = spec.query ? repeatedKeys(spec.query) : [];
      // One parameter (c): Hono tells handlers from middleware by their arity.
      const run = async (c: Context): Promise<Response> => {
        const input = { params: undefined, query: undefined, body: undefined } as Record<string, unknown>;
        if (spec.params) input.params = parse(spec.params, pathParams(c, spec as RouteSpec), what);
        if (spec.query) {
          const raw: Record<string, unknown> = { ...c.req.query() };
          for (const key of repeated) raw[key] = c.req.queries(key);
          input.query = parse(spec.query, raw, what);
        }
        if (spec.body) input.body = parse(spec.body, await readJson(c.req.raw), what);
        return handler(c, input as never);
      };
      if (spec.method === 'all') http.all(spec.path, run);
      else http.on(spec.method.toUpperCase(), spec.path, run);
    },
  };
}
