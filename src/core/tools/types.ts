import { z } from 'zod';
import { closeMatches } from '../../shared/suggest.js';
import type { RequestContext } from '../context.js';

/**
 * One definition per tool, adapted many times: the MCP server registers it,
 * the HTTP API and `gitlore ask` call the same execute().
 * Errors are thrown as GitloreError; adapters turn them into tool errors.
 */
export interface ToolDefinition<I extends z.ZodRawShape = z.ZodRawShape, O extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  inputSchema: I;
  outputSchema: O;
  /** Runs for ctx.principal; honours ctx.signal (checked before work and passed to long calls). */
  execute(input: z.output<z.ZodObject<I>>, ctx: RequestContext): Promise<z.output<z.ZodObject<O>>>;
  /** Readable text for humans and for LLM context, from the structured output. */
  toText(output: z.output<z.ZodObject<O>>): string;
}

/** Helps TypeScript infer I and O at the definition site. */
export function defineTool<I extends z.ZodRawShape, O extends z.ZodRawShape>(tool: ToolDefinition<I, O>): ToolDefinition<I, O> {
  return tool;
}

/**
 * A tool's arguments as a strict object: an argument the tool does not take (`repo` for `repos`) is
 * refused, naming it and the close matches, instead of being dropped and widening the answer.
 */
export function strictInput<I extends z.ZodRawShape>(shape: I): z.ZodObject<I, z.core.$strict> {
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unknownArguments(issue.keys, Object.keys(shape)) : undefined),
  });
}

/** `Unknown argument "repo" (did you mean repos?); accepted: query, repos, …`, for the keys a caller got wrong. */
function unknownArguments(keys: readonly string[], accepted: readonly string[]): string {
  const named = keys.map((key) => {
    const near = closeMatches(key, accepted);
    return `"${key}"${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}`;
  });
  return `Unknown argument${keys.length > 1 ? 's' : ''} ${named.join(', ')}; accepted: ${accepted.join(', ')}`;
}
