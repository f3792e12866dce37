/**
 * Secrets never reach logs, errors or responses. Known secret values are
 * registered once (from the resolved config) and replaced where they stand as a
 * whole token; token-shaped strings and URL credentials are masked even if unknown.
 */

/**
 * Shortest secret that is registered for redaction (and that config accepts as a webhook secret):
 * a shorter one is likely an ordinary word, and masking it everywhere would mangle output.
 */
export const MIN_SECRET_LENGTH = 8;

/** Each known secret with the pattern that finds it as a whole token (not inside a longer word). */
const knownSecrets = new Map<string, RegExp>();

export function registerSecret(value: string | undefined): void {
  if (!value || value.length < MIN_SECRET_LENGTH || knownSecrets.has(value)) return;
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  knownSecrets.set(value, new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`, 'g'));
}

const TOKEN_PATTERNS: RegExp[] = [
  /\b(gh[pousr]_[A-Za-z0-9]{20,})\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\bsk-[A-Za-z0-9_-]{20,}\b/g,
  /\bglt_[A-Za-z0-9]{20,}\b/g,
];

const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/)([^/\s:@]+)(:[^/\s@]*)?@/gi;
/** A credential after `Authorization: Bearer`; placeholders such as `<token>` or `$TOKEN` in hints are left as they are. */
const AUTH_HEADER = /(authorization:\s*(?:bearer|token|basic)\s+)(?![<$])[^\s'"]+/gi;

export function redact(text: string): string {
  let out = text;
  for (const [secret, pattern] of knownSecrets) {
    if (out.includes(secret)) out = out.replace(pattern, '***');
  }
  for (const pattern of TOKEN_PATTERNS) out = out.replace(pattern, '***');
  out = out.replace(URL_CREDENTIALS, (_m, scheme: string) => `${scheme}***@`);
  out = out.replace(AUTH_HEADER, (_m, prefix: string) => `${prefix}***`);
  return out;
}

/** Shows that a secret is set without showing it. */
export function maskSecret(value: string | undefined): string | null {
  if (!value) return null;
  return value.length <= 8 ? '***' : `${value.slice(0, 4)}…*** (${value.length} chars)`;
}
