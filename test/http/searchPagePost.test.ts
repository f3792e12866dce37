import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/core/app.js';
import { startSession } from '../../src/core/auth/sessions.js';
import { createContext } from '../../src/core/context.js';
import { indexRepos } from '../../src/core/indexRepos.js';
import { createHttpApp } from '../../src/server/httpApp.js';
import { csrfToken } from '../../src/server/session.js';
import { MAX_TEXT_QUERY_BYTES } from '../../src/shared/searchLimits.js';
import { makeFixture, openTestApp } from '../mcp/fixture.js';

/**
 * POST /search, the web page's "Paste an issue" form, in process with sign-in required: a plain multipart form that
 * carries the session's CSRF token as a field (no script sets a header), and a body limit answered with a page.
 */
const SECRET_KEY = 'test-secret-key-0123456789';
let app: App;
let http: ReturnType<typeof createHttpApp>;
let session: string;

const ISSUE =
  "Crash on a spec\n\nTypeError: Cannot read properties of undefined (reading 'split')\n    at parseWidget (src/parse.ts:2:15)\n";

function post(form: FormData, headers: Record<string, string> = {}): Promise<Response> {
  return Promise.resolve(
    http.request('/search', { method: 'POST', body: form, headers: { cookie: `gitlore_session=${session}`, ...headers } }),
  );
}

function issueForm(extra: Record<string, string> = {}): FormData {
  const form = new FormData();
  form.set('q', ISSUE);
  form.set('group', 'file');
  for (const [k, v] of Object.entries(extra)) form.set(k, v);
  return form;
}

beforeAll(async () => {
  const fixture = await makeFixture();
  app = await openTestApp(fixture.dataDir, fixture.root, { SECRET_KEY });
  await indexRepos({ skipEmbeddings: true }, createContext(app));
  http = createHttpApp({ app, version: 'test', scheduler: null, requireAuth: true });
  const admin = await app.store.users.signIn(
    { provider: 'oidc', subject: 'ada', email: 'ada@acme.dev' },
    { role: 'admin', linkByEmail: false },
  );
  session = (await startSession(app.store.sessions, admin, app.config)).secret;
});

afterAll(async () => {
  await app?.store.close();
});

describe('POST /search (the "Paste an issue" form)', () => {
  it('renders the session’s CSRF token into the form and searches with it, grouped by file', async () => {
    const page = await (await http.request('/search', { headers: { cookie: `gitlore_session=${session}` } })).text();
    const token = csrfToken(SECRET_KEY, session);
    expect(page).toContain(`<input type="hidden" name="csrf" value="${token}"/>`);
    const res = await post(issueForm({ csrf: token }));
    const html = await res.text();
    expect(res.status, html.slice(0, 500)).toBe(200);
    expect(html).toMatch(/<li class="group file-row"><h3 class="group-head"><a href="\/r\/widgets\/blob\/src\/parse\.ts">/);
    expect(html).toContain('at parseWidget (src/parse.ts:2:15)');
  });

  it('says so when nothing matches the pasted text, without repeating it', async () => {
    const html = await (await post(issueForm({ csrf: csrfToken(SECRET_KEY, session), q: 'zzqqxx yyzzqq\nqqzzyy xxqqzz\n' }))).text();
    expect(html).toContain('No results for the pasted text.');
  });

  it('refuses the form without the token, or with another session’s', async () => {
    expect((await post(issueForm())).status).toBe(403);
    expect((await post(issueForm({ csrf: csrfToken(SECRET_KEY, 'another-session') }))).status).toBe(403);
  });

  it('answers a body past the text room with a page naming the 1 MB limit', async () => {
    const form = issueForm({ csrf: csrfToken(SECRET_KEY, session) });
    form.set('q', 'x'.repeat(3 * MAX_TEXT_QUERY_BYTES));
    const res = await post(form);
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toMatch(/The pasted text is over \d+ bytes; the limit is 1048576 \(1 MB\)\./);
    expect(html).toContain('Search with the part that matters');
  });
});
