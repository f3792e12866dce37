import type { Context } from 'hono';
import { z } from 'zod';
import { createContext, type RequestContext } from '../../core/context.js';
import { findTool } from '../../core/tools/index.js';
import { strictInput } from '../../core/tools/types.js';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import { parse } from '../parse.js';
import { principalOf } from '../principal.js';
import type { RouteDeps } from './deps.js';
import type { Routes } from './route.js';

/** The context of one HTTP request: its principal (a token's user; the local operator otherwise) and its abort signal. */
export function requestContext(deps: RouteDeps, c: Context): RequestContext {
  return createContext(deps.app, { signal: c.req.raw.signal, principal: principalOf(c) });
}

/** Runs a tool with its input validated by the tool's own schema, in the request's context. */
export async function runTool(deps: RouteDeps, c: Context, name: string, input: Record<string, unknown>): Promise<unknown> {
  const tool = deps.tools.find((t) => t.name === name);
  if (!tool) throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, `The ${name} tool is not available in this build.`);
  const parsed = parse(strictInput(tool.inputSchema), input, `${name} arguments`);
  return tool.execute(parsed, requestContext(deps, c));
}

export interface ToolRouteSpec {
  path: string;
  summary: string;
  tool: string;
  /** Path parameters, each a tool input field of the same name. */
  params?: readonly string[];
  /** Query parameter → the tool input field it fills (several may fill one; the first given wins). */
  query?: Readonly<Record<string, string>>;
  description: string;
}

/**
 * The HTTP adapter of a shared tool definition: a GET route whose parameters are validated and documented
 * with the tool's own input field schemas, and whose answer is documented with the tool's output schema.
 */
export function addToolRoute(routes: Routes, deps: RouteDeps, spec: ToolRouteSpec): void {
  const tool = findTool(spec.tool);
  if (!tool) throw new Error(`No tool named ${spec.tool}.`);
  const fields = (names: Readonly<Record<string, string>>) =>
    z.object(Object.fromEntries(Object.entries(names).map(([name, field]) => [name, tool.inputSchema[field] as z.ZodType])));
  const query = spec.query ?? {};
  routes.add(
    {
      method: 'get',
      path: spec.path,
      summary: spec.summary,
      params: fields(Object.fromEntries((spec.params ?? []).map((p) => [p, p]))),
      query: fields(query),
      what: `${tool.name} arguments`,
      response: { description: spec.description, schema: toolOutput(tool.name) },
    },
    async (c, input) => {
      const args: Record<string, unknown> = { ...input.params };
      for (const [name, field] of Object.entries(query)) {
        const value = (input.query as Record<string, unknown>)[name];
        if (value !== undefined && value !== '' && args[field] === undefined) args[field] = value;
      }
      return c.json(await runTool(deps, c, tool.name, args));
    },
  );
}

/** A tool's output schema, for documenting a route that answers with it. */
export function toolOutput(name: string): z.ZodType {
  const tool = findTool(name);
  if (!tool) throw new Error(`No tool named ${name}.`);
  return z.object(tool.outputSchema);
}
