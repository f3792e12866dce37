import { createHmac, timingSafeEqual } from 'node:crypto';

/** Verifies GitHub's `X-Hub-Signature-256: sha256=<hex>` over the raw body. */
export function verifyGithubSignature(secret: string, rawBody: string | Uint8Array, header: string | undefined): boolean {
  if (!header?.startsWith('sha256=')) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(header.slice(7), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function signGithubPayload(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** The fields of a push event that matter here. */
export interface PushEvent {
  ref?: string;
  after?: string;
  repository?: { name?: string; full_name?: string; clone_url?: string; html_url?: string };
}
