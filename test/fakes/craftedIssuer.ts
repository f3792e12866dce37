import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

/** How the next ID token differs from a good one. */
export type IdTokenFlaw = 'none' | 'wrong-issuer' | 'wrong-audience' | 'wrong-nonce' | 'expired' | 'bad-signature';

export interface CraftedIssuer {
  url: string;
  clientId: string;
  clientSecret: string;
  /** The nonce the next ID token carries (the test copies it from the authorization URL). */
  nonce: string;
  flaw: IdTokenFlaw;
  /** The form bodies the token endpoint received. */
  tokenRequests: URLSearchParams[];
  close(): Promise<void>;
}

/**
 * A minimal OpenID Connect issuer on 127.0.0.1 — discovery, keys, and a token endpoint that answers any code with an
 * ID token signed by `jose` and flawed as `flaw` says — to show that openid-client refuses each flaw.
 */
export async function startCraftedIssuer(): Promise<CraftedIssuer> {
  const good = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(good.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const path = new URL(req.url ?? '/', issuer.url).pathname;
      const json = (body: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (path === '/.well-known/openid-configuration') {
        return json({
          issuer: issuer.url,
          authorization_endpoint: `${issuer.url}/authorize`,
          token_endpoint: `${issuer.url}/token`,
          jwks_uri: `${issuer.url}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
        });
      }
      if (path === '/jwks') return json({ keys: [jwk] });
      if (path === '/token') {
        issuer.tokenRequests.push(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
        return json({ access_token: 'at-crafted', token_type: 'Bearer', expires_in: 300, id_token: await idToken() });
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  async function idToken(): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const flaw = issuer.flaw;
    const payload: JWTPayload = {
      iss: flaw === 'wrong-issuer' ? 'https://evil.example' : issuer.url,
      aud: flaw === 'wrong-audience' ? 'someone-else' : issuer.clientId,
      sub: 'crafted-1',
      nonce: flaw === 'wrong-nonce' ? 'not-the-nonce' : issuer.nonce,
      email: 'ada@acme.dev',
      email_verified: true,
      iat: flaw === 'expired' ? now - 7200 : now,
      exp: flaw === 'expired' ? now - 3600 : now + 300,
    };
    const key = flaw === 'bad-signature' ? other.privateKey : good.privateKey;
    return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(key);
  }

  const issuer: CraftedIssuer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    clientId: 'crafted-client',
    clientSecret: 'crafted-client-secret-0123',
    nonce: '',
    flaw: 'none',
    tokenRequests: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return issuer;
}
