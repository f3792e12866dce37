/**
 * Secrets never reach logs, errors or responses. Known secret values are
 * registered once (from the resolved config) and replaced wherever they
 * appear; token-shaped strings and URL credentials are masked even if unknown.
 */
const knownSecrets = new Set<string>();

export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) knownSecrets.add(value);
}

const TOKEN_PATTERNS: RegExp[] = [
  /\b(gh[pousr]_[A-Za-z0-9]{20,})\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\bsk-[A-Za-z0-9_-]{20,}\b/g,
  /\bglt_[A-Za-z0-9]{20,}\b/g,
];

const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/)([^/\s:@]+)(:[^/\s@]*)?@/gi;
const AUTH_HEADER = /(authorization:\s*(?:bearer|token|basic)\s+)[^\s'"]+/gi;

export function redact(text: string): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (out.includes(secret)) out = out.split(secret).join('***');
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
