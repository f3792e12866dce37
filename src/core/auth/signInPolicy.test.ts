import { describe, expect, it } from 'vitest';
import { decideSignIn, type SignInPolicy } from './signInPolicy.js';

const none: SignInPolicy = { allowedDomains: [], allowedEmails: [], allowedOrgs: [], admins: [] };

describe('decideSignIn', () => {
  it('lets everyone in as a member when no allow-list is set', () => {
    expect(decideSignIn({ email: 'a@x.dev', emailVerified: false }, none)).toEqual({ allowed: true, role: 'member' });
  });

  it('admins by verified email or GitHub login, whatever the lists say', () => {
    const policy = { ...none, allowedDomains: ['acme.dev'], admins: ['Root@Elsewhere.org', 'octo-admin'] };
    expect(decideSignIn({ email: 'root@elsewhere.org', emailVerified: true }, policy)).toEqual({ allowed: true, role: 'admin' });
    expect(decideSignIn({ email: null, emailVerified: false, githubLogin: 'Octo-Admin' }, policy)).toEqual({
      allowed: true,
      role: 'admin',
    });
    // An unverified email proves nothing.
    expect(decideSignIn({ email: 'root@elsewhere.org', emailVerified: false }, policy)).toMatchObject({ allowed: false });
  });

  it('domains by verified email or Google hosted domain; addresses; organizations', () => {
    const policy = { ...none, allowedDomains: ['acme.dev'], allowedEmails: ['guest@gmail.com'], allowedOrgs: ['acme'] };
    expect(decideSignIn({ email: 'a@ACME.dev', emailVerified: true }, policy)).toMatchObject({ allowed: true });
    expect(decideSignIn({ email: 'a@acme.dev', emailVerified: false }, policy)).toMatchObject({ allowed: false });
    expect(decideSignIn({ email: 'a@acme.dev.evil.io', emailVerified: true }, policy)).toMatchObject({ allowed: false });
    expect(decideSignIn({ email: 'x@other.io', emailVerified: true, hostedDomain: 'acme.dev' }, policy)).toMatchObject({ allowed: true });
    expect(decideSignIn({ email: 'guest@gmail.com', emailVerified: true }, policy)).toMatchObject({ allowed: true });
    expect(decideSignIn({ email: null, emailVerified: false, githubLogin: 'ada', githubOrgs: ['ACME'] }, policy)).toMatchObject({
      allowed: true,
    });
    const refused = decideSignIn({ email: 'eve@evil.io', emailVerified: true, githubOrgs: ['evil'] }, policy);
    expect(refused).toEqual({ allowed: false, reason: 'eve@evil.io is not allowed to sign in to this gitlore.' });
  });
});
