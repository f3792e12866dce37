import { describe, expect, it } from 'vitest';
import { generateToken, hashToken } from '../core/apiTokens.js';
import { bearerToken, isLoopbackHost } from './auth.js';
import { signGithubPayload, verifyGithubSignature } from './webhook.js';

describe('auth helpers', () => {
  it('tells loopback hosts from the rest', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'gitlore.example.com', '128.0.0.1']) expect(isLoopbackHost(host), host).toBe(false);
  });

  it('generates distinct 256-bit tokens whose stored hash is not the token', () => {
    const a = generateToken();
    const b = generateToken();
    expect(a.token).toMatch(/^glt_[0-9a-f]{64}$/);
    expect(a.token).not.toBe(b.token);
    expect(a.hash).toBe(hashToken(a.token));
    expect(a.hash).not.toContain(a.token.slice(4));
    expect(a.token.startsWith(a.prefix)).toBe(true);
  });

  it('reads bearer tokens only from a well-formed Authorization header', () => {
    expect(bearerToken('Bearer glt_abc')).toBe('glt_abc');
    expect(bearerToken('token glt_abc')).toBe('glt_abc');
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });

  it('verifies GitHub webhook signatures over the exact body', () => {
    const body = '{"ref":"refs/heads/main"}';
    const signature = signGithubPayload('s3cret', body);
    expect(verifyGithubSignature('s3cret', body, signature)).toBe(true);
    expect(verifyGithubSignature('other', body, signature)).toBe(false);
    expect(verifyGithubSignature('s3cret', `${body} `, signature)).toBe(false);
    expect(verifyGithubSignature('s3cret', body, signature.replace('sha256=', 'sha1='))).toBe(false);
    expect(verifyGithubSignature('s3cret', body, 'sha256=zz')).toBe(false);
    expect(verifyGithubSignature('s3cret', body, undefined)).toBe(false);
  });
});
