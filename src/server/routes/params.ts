import { z } from 'zod';

/** A page size from the query string: an integer in 1..max, with messages that name the bound. */
export const limitParam = (max: number) =>
  z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be an integer')
    .min(1, 'limit must be at least 1')
    .max(max, `limit must be at most ${max}`);
