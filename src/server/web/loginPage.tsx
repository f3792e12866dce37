import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { redact } from '../../shared/redact.js';
import { principalOf } from '../principal.js';
import { safeNext } from '../signInFlow.js';
import type { Assets } from './assets.js';
import { Layout } from './layout.js';
import type { PageKit } from './webRoutes.js';
import { sendPage } from './webRoutes.js';

/** The sign-in page: one button to the configured provider (what went wrong is on sendSignInProblem's page). */
export function LoginPage(props: { assets: Assets; provider: string | null; next: string }) {
  const href = `/auth/login?next=${encodeURIComponent(props.next)}`;
  return (
    <Layout title="Sign in" section={null} assets={props.assets}>
      <div class="message sign-in">
        <h1>Sign in to gitlore</h1>
        {props.provider ? (
          <p>
            <a class="button primary" href={href}>
              Sign in with {props.provider}
            </a>
          </p>
        ) : (
          <p class="hint">
            Browser sign-in is off on this server (GITLORE_AUTH is none): open gitlore on 127.0.0.1, or use the API with a token.
          </p>
        )}
      </div>
    </Layout>
  );
}

/** A sign-in that did not finish (refused, cancelled, expired, or an answer that did not check out), with a way to try again. */
export function sendSignInProblem(
  c: Context,
  assets: Assets,
  problem: { title: string; message: string; hint?: string; next?: string },
  status: ContentfulStatusCode,
): Promise<Response> {
  const again = `/login?next=${encodeURIComponent(problem.next ?? '/')}`;
  return sendPage(
    c,
    <Layout title={problem.title} section={null} assets={assets}>
      <div class="message sign-in">
        <h1>{problem.title}</h1>
        <p>{redact(problem.message)}</p>
        {problem.hint && <p class="hint">{redact(problem.hint)}</p>}
        <p>
          <a class="button primary" href={again}>
            Try again
          </a>
        </p>
      </div>
    </Layout>,
    status,
  );
}

/** `/login`: public (server/publicRoutes.ts); a signed-in browser goes straight on to `next`. */
export function registerLoginPage(kit: PageKit): void {
  kit.http.get(
    '/login',
    kit.page(async (c) => {
      const next = safeNext(c.req.query('next'));
      if (principalOf(c)?.kind === 'user') return c.redirect(next);
      return sendPage(c, <LoginPage assets={kit.assets} provider={kit.deps.signIn.signIn?.label ?? null} next={next} />);
    }),
  );
}
