import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';

const VERSION = 'v1';

/** A 256-bit key for one purpose, derived from SECRET_KEY, so one secret never keys two uses. */
function keyFor(secretKey: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, 'gitlore', purpose, 32));
}

/**
 * Seals a secret (a user's GitHub OAuth token) for the store: AES-256-GCM under a key derived from SECRET_KEY,
 * so a copied database file alone does not give the tokens away. `v1.<iv>.<tag>.<ciphertext>`, base64url.
 */
export function seal(secretKey: string, plaintext: string, purpose = 'identity-token'): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(secretKey, purpose), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

/** Opens what seal() made; a changed SECRET_KEY or a tampered value is an error naming what to do. */
export function open(secretKey: string, sealed: string, purpose = 'identity-token'): string {
  const [version, iv, tag, body] = sealed.split('.');
  try {
    if (version !== VERSION || !iv || !tag || body === undefined) throw new Error('unknown format');
    const decipher = createDecipheriv('aes-256-gcm', keyFor(secretKey, purpose), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new GitloreError(ERROR_CODES.CONFIG_INVALID, 'A stored secret cannot be opened: SECRET_KEY changed since it was stored.', {
      hint: 'Set SECRET_KEY back, or have the user link GitHub again from their page.',
    });
  }
}
