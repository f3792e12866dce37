import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { z } from 'zod';
import { recordAudit } from '../../core/audit.js';
import { endSession } from '../../core/auth/sessions.js';
import { linkGithub, signIn } from '../../core/auth/signIn.js';
import type { RequestContext } from '../../core/context.js';
import { whoAmI } from '../../core/me.js';
import { ERROR_CODES, GitloreError, toGitloreError } from '../../shared/errors.js';
import { clientIp } from '../clientAddress.js';
import { HTTP_STATUS } from '../errors.js';
import { principalOf } from '../principal.js';
import { clearSessionCookies, SESSION_COOKIE, setSessionCookies } from '../session.js';
import { callbackUrl, safeNext, saveFlow, takeFlow } from '../signInFlow.js';
import { sendSignInProblem } from '../web/loginPage.js';
import type { RouteDeps } from './deps.js';
import type { Routes } from './route.js';
import { requestContext } from './toolRoute.js';

const me = z.object({
  kind: z.enum(['local', 'user']),
  id: z.string(),
  role: z.enum(['admin', 'member']),
  email: z.string().nullable(),
  name: z.string().nullable(),
  githubLogin: z.string().nullable(),
});

const nextQuery = z.object({ next: z.string().optional().describe('A path on this site to return to (anything else means /)') });
const ok = z.object({ ok: z.literal(true), sessions: z.number().int().optional() });

/** Who the caller is (`/api/me`), browser sign-in (`/auth/*`) and sign-out. */
export function registerAuthRoutes(routes: Routes, deps: RouteDeps): void {
  const { app, assets } = deps;
  const providers = deps.signIn;
  const cookieOptions = () => ({ secretKey: app.config.secretKey as string, publicUrl: app.config.publicUrl });

  /** A failed sign-in: audited, then a page that says what happened and links to try again. */
  const failed = async (c: Context, ctx: RequestContext, thrown: unknown, next: string, kind: string) => {
    const error = toGitloreError(thrown);
    if (error.code === 'INTERNAL') app.log.child('sign-in').error(`Sign-in failed: ${error.message}`);
    const principal = principalOf(c);
    await recordAudit(ctx, {
      actor: principal?.kind === 'user' ? principal.id : 'anonymous',
      action: 'auth.sign_in_failed',
      detail: { kind, code: error.code, reason: error.message },
      ip: clientIp(c),
    });
    const title = kind === 'link' ? 'GitHub was not linked' : 'Sign-in did not finish';
    const message = error.code === 'INTERNAL' ? 'Something went wrong; see the server log.' : error.message;
    return sendSignInProblem(c, assets, { title, message, hint: error.hint, next }, HTTP_STATUS[error.code] ?? 500);
  };

  routes.add(
    {
      method: 'get',
      path: '/api/me',
      summary: 'The caller: the local operator, or the signed-in user (session or a user token) with their role',
      response: { description: 'The caller', schema: me },
    },
    async (c) => c.json(await whoAmI(requestContext(deps, c))),
  );

  routes.add(
    {
      method: 'get',
      path: '/auth/login',
      query: nextQuery,
      summary: 'Starts browser sign-in: redirects to the identity provider GITLORE_AUTH names (an HTML page when it cannot)',
      response: { description: 'A redirect (302) to the identity provider' },
    },
    async (c, { query }) => {
      const next = safeNext(query.next);
      const ctx = requestContext(deps, c);
      try {
        const provider = providers.signIn;
        if (!provider) {
          throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, 'Browser sign-in is off on this server.', {
            hint: 'Set GITLORE_AUTH to oidc or github (see docs/authentication.md), or use the API with a token.',
          });
        }
        const { url, checks } = await provider.start(callbackUrl(c, app.config.publicUrl));
        saveFlow(c, cookieOptions(), { kind: 'sign-in', checks, next });
        return c.redirect(url);
      } catch (error) {
        return failed(c, ctx, error, next, 'sign-in');
      }
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/auth/github/link',
      query: nextQuery,
      summary: 'Links a GitHub account to the signed-in user (GITLORE_AUTH=oidc with GITHUB_CLIENT_ID/SECRET): redirects to GitHub',
      response: { description: 'A redirect (302) to GitHub' },
    },
    async (c, { query }) => {
      const next = safeNext(query.next);
      const ctx = requestContext(deps, c);
      try {
        const principal = principalOf(c);
        if (principal?.kind !== 'user') {
          throw new GitloreError(ERROR_CODES.UNAUTHORIZED, 'Sign in first, then link GitHub.', { hint: 'Open /login.' });
        }
        if (!providers.githubLink) {
          throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, 'Linking GitHub is not set up on this server.', {
            hint: 'Set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET (a GitHub OAuth app), with GITLORE_AUTH=oidc.',
          });
        }
        const { url, checks } = await providers.githubLink.start(callbackUrl(c, app.config.publicUrl));
        saveFlow(c, cookieOptions(), { kind: 'link', checks, next, userId: principal.id });
        return c.redirect(url);
      } catch (error) {
        return failed(c, ctx, error, next, 'link');
      }
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/auth/callback',
      summary:
        'Where the identity provider sends the browser back: checks the answer, signs in (or links GitHub) and redirects to the page it started from',
      response: { description: 'A redirect (302) to where sign-in started; an HTML page when sign-in is refused or fails' },
    },
    async (c) => {
      const ctx = requestContext(deps, c);
      const flow = app.config.secretKey ? takeFlow(c, app.config.secretKey) : null;
      const next = flow?.next ?? '/';
      const kind = flow?.kind ?? 'sign-in';
      try {
        if (!flow) {
          throw new GitloreError(ERROR_CODES.UNAUTHORIZED, 'This sign-in has expired or was started in another browser.', {
            hint: 'Start again from the sign-in page; it has 10 minutes to finish.',
          });
        }
        const provider = flow.kind === 'link' ? providers.githubLink : providers.signIn;
        if (!provider) throw new GitloreError(ERROR_CODES.NOT_CONFIGURED, 'Browser sign-in is off on this server.');
        const query = new URL(c.req.url).searchParams;
        const identity = await provider.finish(query, flow.checks, callbackUrl(c, app.config.publicUrl), c.req.raw.signal);
        const options = { ip: clientIp(c), userAgent: c.req.header('user-agent') ?? null };

        if (flow.kind === 'link') {
          const principal = principalOf(c);
          if (principal?.kind !== 'user' || principal.id !== flow.userId) {
            throw new GitloreError(ERROR_CODES.UNAUTHORIZED, 'The browser is no longer signed in as the user who asked to link GitHub.', {
              hint: 'Sign in again, then link GitHub from your page.',
            });
          }
          await linkGithub(principal.id, identity, ctx, options);
          return c.redirect(next);
        }

        // Rotation: whatever session this browser had ends; the sign-in gets a new one.
        const old = getCookie(c, SESSION_COOKIE);
        if (old) await endSession(app.store.sessions, old);
        const outcome = await signIn(identity, ctx, options);
        if (!outcome.ok) {
          clearSessionCookies(c);
          return sendSignInProblem(
            c,
            assets,
            {
              title: 'Not allowed to sign in',
              message: outcome.reason,
              hint: 'Ask whoever runs this gitlore to allow your address, your domain or your GitHub organization, or sign in with another account.',
            },
            403,
          );
        }
        setSessionCookies(c, outcome.session, cookieOptions());
        return c.redirect(next);
      } catch (error) {
        return failed(c, ctx, error, next, kind);
      }
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/auth/logout',
      summary: 'Signs this browser out: ends its session and clears its cookies (JSON, or 303 to /login for a page that asks for HTML)',
      response: { description: '{ok: true}', schema: ok },
    },
    async (c) => {
      const secret = getCookie(c, SESSION_COOKIE);
      if (secret) await endSession(app.store.sessions, secret);
      const principal = principalOf(c);
      if (principal?.kind === 'user' && !c.req.header('authorization')) {
        await recordAudit(requestContext(deps, c), { action: 'auth.sign_out', target: principal.id, ip: clientIp(c) });
      }
      clearSessionCookies(c);
      const wantsHtml = /text\/html/.test(c.req.header('accept') ?? '') && !/application\/json/.test(c.req.header('accept') ?? '');
      return wantsHtml ? c.redirect('/login', 303) : c.json({ ok: true as const });
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/auth/logout-everywhere',
      summary: "Signs the user out of every browser: ends all of the user's sessions (API tokens stay)",
      response: { description: '{ok: true, sessions: how many ended}', schema: ok },
    },
    async (c) => {
      const principal = principalOf(c);
      if (principal?.kind !== 'user') {
        throw new GitloreError(ERROR_CODES.UNAUTHORIZED, 'Only a signed-in user can sign out everywhere.', { hint: 'Sign in first.' });
      }
      const sessions = await app.store.sessions.deleteForUser(principal.id);
      await recordAudit(requestContext(deps, c), {
        action: 'auth.sign_out_everywhere',
        target: principal.id,
        detail: { sessions },
        ip: clientIp(c),
      });
      if (getCookie(c, SESSION_COOKIE)) clearSessionCookies(c);
      return c.json({ ok: true as const, sessions });
    },
  );
}
