import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether an Authorization header carries GITLORE_METRICS_TOKEN as a bearer token. Both sides are hashed first, so the
 * comparison takes the same time whatever the length or the first differing character.
 */
export function metricsTokenMatches(header: string | undefined, token: string): boolean {
  const sent = /^bearer\s+(\S+)$/i.exec(header?.trim() ?? '')?.[1];
  if (!sent) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(sent), digest(token));
}
