import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** What the issuer says about a person who signs in with a given login name. */
export interface IssuerAccount {
  email: string;
  email_verified?: boolean;
  /** Google's hosted-domain claim. */
  hd?: string;
  name?: string;
}

export interface OidcIssuer {
  /** The issuer identifier (OIDC_ISSUER). */
  url: string;
  clientId: string;
  clientSecret: string;
  /** Login name → claims; tests add people at will. */
  accounts: Map<string, IssuerAccount>;
  /** Registers the client's redirect URIs anew (for a server whose port is known only once it listens); before any sign-in. */
  setRedirectUris(uris: string[]): void;
  close(): Promise<void>;
}

/**
 * A real OpenID Connect issuer (the `oidc-provider` package) on 127.0.0.1 with its development login and consent
 * pages: one confidential client with the given redirect URIs; email, email_verified, hd and name in the ID token.
 */
export async function startOidcIssuer(options: { redirectUris?: string[]; accounts?: Record<string, IssuerAccount> }): Promise<OidcIssuer> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map(Object.entries(options.accounts ?? {}));
  const clientId = 'gitlore-test';
  const clientSecret = 'issuer-client-secret-0123456789';
  const build = (redirectUris: string[]) => {
    const provider = new Provider(url, {
      clients: [
        {
          client_id: clientId,
          client_secret: clientSecret,
          redirect_uris: redirectUris,
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_post',
        },
      ],
      claims: { openid: ['sub'], email: ['email', 'email_verified', 'hd'], profile: ['name'] },
      // Claims asked for by scope go into the ID token itself (the client reads only the ID token).
      conformIdTokenClaims: false,
      features: { devInteractions: { enabled: true } },
      findAccount: async (_ctx, id) => {
        const account = accounts.get(id);
        if (!account) return undefined;
        return { accountId: id, claims: async () => ({ sub: id, email_verified: true, ...account }) };
      },
      cookies: { keys: ['issuer-cookie-key-0123456789'] },
    });
    provider.on('server_error', () => {});
    handler = provider.callback() as typeof handler;
  };
  build(options.redirectUris ?? []);
  return {
    url,
    setRedirectUris: build,
    clientId,
    clientSecret,
    accounts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A cookie jar for driving a provider's pages with fetch. */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * Signs `login` in at the issuer as a browser would: follows the authorization URL through the development login form
 * (prompt=login) and the consent form (prompt=consent) until the issuer redirects to `redirectPrefix`; that URL.
 */
export async function loginAtIssuer(authorizationUrl: string, login: string, redirectPrefix: string): Promise<string> {
  const jar = new CookieJar();
  let url = authorizationUrl;
  let init: RequestInit = {};
  for (let hop = 0; hop < 20; hop++) {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), cookie: jar.header() } });
    jar.take(res);
    const location = res.headers.get('location');
    if (location) {
      await res.body?.cancel();
      const next = new URL(location, url).href;
      if (next.startsWith(redirectPrefix)) return next;
      url = next;
      init = {};
      continue;
    }
    const html = await res.text();
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!prompt || !action) throw new Error(`The issuer answered ${res.status} without a form: ${html.slice(0, 300)}`);
    url = new URL(action, url).href;
    const body = prompt === 'login' ? new URLSearchParams({ prompt, login, password: 'any' }) : new URLSearchParams({ prompt });
    init = { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  }
  throw new Error('The issuer never redirected back.');
}
