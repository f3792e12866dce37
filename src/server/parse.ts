import type { z } from 'zod';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';

function invalid(error: z.ZodError, what: string): GitloreError {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return new GitloreError(ERROR_CODES.QUERY_INVALID, `Invalid ${what}: ${where}${issue?.message ?? 'bad value'}.`, {
    hint: 'See /api/openapi.json for the accepted parameters.',
  });
}

/** The value parsed by schema, or QUERY_INVALID naming the first bad field. */
export function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(result.error, what);
  return result.data;
}
