/**
 * The only routes anyone may reach when auth is on, each with the reason it is safe. Every other route, present or
 * added later, needs a signed-in session or an API token: the gate (server/auth.ts) refuses the rest, and a test
 * walks the whole route table to check it.
 */
export const PUBLIC_ROUTES: Readonly<Record<string, string>> = {
  '/health': 'the liveness probe for load balancers; it says nothing about the code',
  '/ready': 'the readiness probe for load balancers; it says only whether this process can answer, and which store kind it uses',
  '/assets/:name': "the web app's scripts and styles, which the sign-in page needs; they hold no data",
  '/login': 'the sign-in page',
  '/auth/login': 'starts sign-in at the identity provider',
  '/auth/callback': 'where the identity provider returns; state, PKCE verifier and nonce check the answer',
  '/webhooks/github': 'GitHub signs each delivery with GITHUB_WEBHOOK_SECRET, and the route checks the signature',
};

const PATTERNS = Object.keys(PUBLIC_ROUTES).map(
  (route) => new RegExp(`^${route.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z]+/g, '[^/]+')}$`),
);

/** Whether a request path is one of the public routes. */
export function isPublicPath(path: string): boolean {
  return PATTERNS.some((pattern) => pattern.test(path));
}

/** Paths that answer JSON (or speak a protocol); everything else is a web page. */
const API_PREFIXES = ['/api/', '/mcp', '/auth/', '/webhooks/', '/health', '/ready', '/metrics'];

export function isApiPath(path: string): boolean {
  return path === '/api' || API_PREFIXES.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`));
}
