import { createHmac, timingSafeEqual } from 'node:crypto';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';

/** GitHub caps webhook payloads at 25 MB and drops larger deliveries, so nothing bigger is a real delivery. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

const SIGNATURE_HEADER = /^sha256=[0-9a-f]{64}$/i;

/** Whether `X-Hub-Signature-256` has GitHub's shape (`sha256=` and 64 hex digits); checked before any body byte is read. */
export function isWellFormedSignature(header: string | undefined): header is string {
  return header !== undefined && SIGNATURE_HEADER.test(header);
}

/** Verifies GitHub's `X-Hub-Signature-256: sha256=<hex>` over the raw body. */
export function verifyGithubSignature(secret: string, rawBody: string | Uint8Array, header: string | undefined): boolean {
  if (!isWellFormedSignature(header)) return false;
  return matchesDigest(createHmac('sha256', secret).update(rawBody).digest(), header);
}

function matchesDigest(expected: Buffer, header: string): boolean {
  const given = Buffer.from(header.slice(7), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Reads a webhook body of at most `maxBytes`, hashing it as it arrives; stops reading
 * (PAYLOAD_TOO_LARGE) as soon as it passes the cap, so no more than the cap is ever held.
 */
export async function readSignedBody(
  body: ReadableStream<Uint8Array> | null,
  secret: string,
  header: string,
  maxBytes = MAX_WEBHOOK_BYTES,
): Promise<{ raw: Buffer; verified: boolean }> {
  const hmac = createHmac('sha256', secret);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (body) {
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(maxBytes);
      }
      hmac.update(value);
      chunks.push(value);
    }
  }
  return { raw: Buffer.concat(chunks, size), verified: matchesDigest(hmac.digest(), header) };
}

export function tooLarge(maxBytes: number): GitloreError {
  return new GitloreError(ERROR_CODES.PAYLOAD_TOO_LARGE, `The webhook payload is larger than ${maxBytes} bytes (GitHub's 25 MB limit).`, {
    hint: 'GitHub never sends larger deliveries; check what is posting to /webhooks/github.',
  });
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
