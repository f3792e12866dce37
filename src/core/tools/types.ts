import type { z } from 'zod';
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
