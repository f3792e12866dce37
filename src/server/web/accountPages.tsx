import type { Context } from 'hono';
import { listMyTokens } from '../../core/accountTokens.js';
import { TOKEN_SCOPES, type TokenRecord } from '../../core/apiTokens.js';
import { listAudit } from '../../core/audit.js';
import type { RequestContext } from '../../core/context.js';
import { type Me, whoAmI } from '../../core/me.js';
import { requireAdmin } from '../../core/roles.js';
import { listUsers, type UserSummary } from '../../core/users.js';
import { toGitloreError } from '../../shared/errors.js';
import { formatTime } from '../../shared/statusView.js';
import type { AuditEvent } from '../../store/index.js';
import type { Assets } from './assets.js';
import { Layout } from './layout.js';
import type { PageKit } from './webRoutes.js';
import { sendPage } from './webRoutes.js';

function Time(props: { iso: string | null; never?: string }) {
  return props.iso ? <time datetime={props.iso}>{formatTime(props.iso)}</time> : <span class="muted">{props.never ?? 'never'}</span>;
}

const SCOPE_LABELS: Record<(typeof TOKEN_SCOPES)[number], string> = {
  mcp: 'mcp: only /mcp (for MCP clients)',
  read: 'read: reads only, changes nothing',
};

function TokenTable(props: { tokens: TokenRecord[] }) {
  if (props.tokens.length === 0) return <p class="muted">No tokens yet.</p>;
  return (
    <section class="table-scroll" tabindex={0} aria-label="Your API tokens">
      <table class="status-table">
        <caption class="visually-hidden">Your API tokens, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Starts with</th>
            <th scope="col">Scope</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {props.tokens.map((t) => (
            <tr data-token={String(t.id)}>
              <th scope="row">{t.name}</th>
              <td>
                <code>{t.prefix}…</code>
              </td>
              <td>{t.scopes.length > 0 ? t.scopes.join(', ') : 'full'}</td>
              <td>
                <Time iso={t.createdAt} />
              </td>
              <td>
                <Time iso={t.lastUsedAt} />
              </td>
              <td>
                {t.revokedAt ? (
                  <span class="badge">revoked</span>
                ) : (
                  <button type="button" class="danger" data-revoke={String(t.id)} aria-label={`Revoke token ${t.name}`}>
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** One labelled read-only field with a copy button: the new token, its MCP settings, the `claude mcp add` line. */
function CopyField(props: { id: string; label: string; multiline?: boolean }) {
  return (
    <div class="copy-field">
      <label for={props.id}>{props.label}</label>
      <div class="share-row">
        {props.multiline ? (
          <textarea id={props.id} readonly rows={9} spellcheck={false} />
        ) : (
          <input id={props.id} readonly spellcheck={false} />
        )}
        <button type="button" data-copy={props.id} aria-label={`Copy ${props.label}`}>
          Copy
        </button>
      </div>
    </div>
  );
}

export function AccountPage(props: { assets: Assets; me: Me; tokens: TokenRecord[] }) {
  const { me } = props;
  const user = me.kind === 'user';
  return (
    <Layout title="Account" section="account" assets={props.assets} script="account">
      <h1>Account</h1>
      <p id="account-message" role="status" class="status-message" />
      <section aria-labelledby="you-heading" class="account-section">
        <h2 id="you-heading" class="account-heading">
          You
        </h2>
        <dl class="commit-facts">
          <dt>Email</dt>
          <dd>{user ? (me.email ?? '—') : 'the local operator (no sign-in on this server)'}</dd>
          <dt>Role</dt>
          <dd>{me.role}</dd>
          {user && (
            <>
              <dt>GitHub</dt>
              <dd>{me.githubLogin ? <code>{me.githubLogin}</code> : <a href="/auth/github/link">Link GitHub</a>}</dd>
            </>
          )}
        </dl>
        {user && (
          <p>
            <button type="button" id="refresh-permissions">
              Refresh permissions
            </button>{' '}
            <span class="muted">Asks GitHub again which private repositories you may read.</span>
          </p>
        )}
      </section>

      <section aria-labelledby="tokens-heading" class="account-section">
        <h2 id="tokens-heading" class="account-heading" tabindex={-1}>
          API tokens
        </h2>
        <p class="muted">
          A token acts as you, with your rights (narrowed by its scope), for MCP clients and the HTTP API. Its secret is shown once, when
          you create it.
        </p>
        <form id="token-form" class="token-form">
          <div class="filter">
            <label for="token-name">Name</label>
            <input
              id="token-name"
              name="name"
              required
              maxlength={64}
              pattern="[\w.@\-]{1,64}"
              autocomplete="off"
              aria-describedby="token-name-hint"
            />
          </div>
          <div class="filter">
            <label for="token-scope">Scope</label>
            <select id="token-scope" name="scope">
              <option value="">full: your own rights</option>
              {TOKEN_SCOPES.map((scope) => (
                <option value={scope} selected={scope === 'mcp'}>
                  {SCOPE_LABELS[scope]}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">Create token</button>
          <p id="token-name-hint" class="muted">
            Letters, digits, dots, dashes or underscores, e.g. <code>laptop-claude</code>.
          </p>
        </form>
        <div id="token-created" class="share-panel" tabindex={-1} hidden>
          <h3>
            Token <span id="created-name" /> created
          </h3>
          <p>Copy it now: it is not shown again.</p>
          <CopyField id="created-secret" label="Token" />
          <CopyField id="created-json" label="MCP client settings (JSON)" multiline />
          <CopyField id="created-command" label="Claude Code command" />
        </div>
        <div id="tokens-live">
          <TokenTable tokens={props.tokens} />
        </div>
      </section>

      {user && (
        <section aria-labelledby="signout-heading" class="account-section">
          <h2 id="signout-heading" class="account-heading">
            Sign out
          </h2>
          <p class="chat-actions">
            <button type="button" id="sign-out">
              Sign out
            </button>
            <button type="button" id="sign-out-everywhere" class="danger">
              Sign out everywhere
            </button>
          </p>
        </section>
      )}
    </Layout>
  );
}

export interface AuditFilters {
  actor: string;
  action: string;
  since: string;
  limit: string;
}

function UsersTable(props: { users: UserSummary[]; me: Me }) {
  return (
    <section class="table-scroll" tabindex={0} aria-label="Users">
      <table class="status-table">
        <caption class="visually-hidden">Users who have signed in</caption>
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">GitHub</th>
            <th scope="col">Role</th>
            <th scope="col">State</th>
            <th scope="col">Last sign-in</th>
            <th scope="col">Permissions</th>
          </tr>
        </thead>
        <tbody>
          {props.users.map((u) => {
            const who = u.email ?? u.name ?? u.id;
            const p = u.permissions;
            return (
              <tr data-user={u.id}>
                <th scope="row">
                  {who}
                  {u.id === props.me.id && <span class="muted"> (you)</span>}
                  {u.name && u.email && <div class="muted">{u.name}</div>}
                </th>
                <td>{u.githubLogin ? <code>{u.githubLogin}</code> : <span class="muted">not linked</span>}</td>
                <td>
                  <select data-role={u.id} aria-label={`Role of ${who}`}>
                    <option value="member" selected={u.role === 'member'}>
                      member
                    </option>
                    <option value="admin" selected={u.role === 'admin'}>
                      admin
                    </option>
                  </select>
                </td>
                <td>
                  <span class="badge">{u.disabled ? 'disabled' : 'active'}</span>{' '}
                  <button
                    type="button"
                    data-disable={u.id}
                    data-disabled={String(u.disabled)}
                    class={u.disabled ? undefined : 'danger'}
                    aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${who}`}
                  >
                    {u.disabled ? 'Enable' : 'Disable'}
                  </button>
                </td>
                <td>
                  <Time iso={u.lastSignInAt} />
                </td>
                <td>
                  {p ? (
                    <>
                      {p.status} · {p.repoCount} private repositor{p.repoCount === 1 ? 'y' : 'ies'} · <Time iso={p.lastSyncedAt} />
                      {p.lastError && <div class="state-error">{p.lastError}</div>}
                    </>
                  ) : (
                    <span class="muted">not synced</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function AuditTable(props: { events: AuditEvent[]; names: Map<string, string> }) {
  if (props.events.length === 0) return <p class="muted">No events match.</p>;
  const name = (id: string | null) => (id === null ? '' : (props.names.get(id) ?? id));
  return (
    <section class="table-scroll" tabindex={0} aria-label="Audit log">
      <table class="status-table audit-table">
        <caption class="visually-hidden">Audit log, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Detail</th>
          </tr>
        </thead>
        <tbody>
          {props.events.map((e) => (
            <tr>
              <td>
                <Time iso={e.at} />
              </td>
              <td>{name(e.actor)}</td>
              <td>
                <code>{e.action}</code>
              </td>
              <td>{name(e.target)}</td>
              <td class="audit-detail">
                {Object.keys(e.detail).length > 0 && <code>{JSON.stringify(e.detail)}</code>}
                {e.ip && <div class="muted">from {e.ip}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function AdminPage(props: {
  assets: Assets;
  me: Me;
  users: UserSummary[];
  events: AuditEvent[];
  filters: AuditFilters;
  auditError: { message: string; hint?: string } | null;
}) {
  const names = new Map(props.users.map((u) => [u.id, u.email ?? u.name ?? u.id]));
  const f = props.filters;
  return (
    <Layout title="Admin" section="admin" assets={props.assets} script="admin">
      <h1>Admin</h1>
      <p id="admin-message" role="status" class="status-message" />
      <section aria-labelledby="users-heading" class="account-section">
        <h2 id="users-heading" class="account-heading">
          Users
        </h2>
        <div id="users-live">
          <UsersTable users={props.users} me={props.me} />
        </div>
      </section>
      <section aria-labelledby="audit-heading" class="account-section">
        <h2 id="audit-heading" class="account-heading">
          Audit log
        </h2>
        <form method="get" action="/admin" class="filters audit-filters">
          <div class="filter">
            <label for="audit-actor">Who (user id)</label>
            <input id="audit-actor" name="actor" value={f.actor} list="audit-actors" autocomplete="off" />
            <datalist id="audit-actors">
              {props.users.map((u) => (
                <option value={u.id}>{u.email ?? u.id}</option>
              ))}
            </datalist>
          </div>
          <div class="filter">
            <label for="audit-action">Action</label>
            <input id="audit-action" name="action" value={f.action} placeholder="token." autocomplete="off" />
          </div>
          <div class="filter">
            <label for="audit-since">Since</label>
            <input id="audit-since" name="since" value={f.since} placeholder="2 weeks ago" autocomplete="off" />
          </div>
          <div class="filter">
            <label for="audit-limit">At most</label>
            <input id="audit-limit" name="limit" type="number" min={1} max={1000} value={f.limit} />
          </div>
          <button type="submit">Filter</button>
        </form>
        {props.auditError ? (
          <div class="error" role="alert">
            <p>{props.auditError.message}</p>
            {props.auditError.hint && <p class="hint">{props.auditError.hint}</p>}
          </div>
        ) : (
          <AuditTable events={props.events} names={names} />
        )}
      </section>
    </Layout>
  );
}

function auditFilters(c: Context): AuditFilters {
  const get = (key: string) => (c.req.query(key) ?? '').trim().slice(0, 200);
  return { actor: get('actor'), action: get('action'), since: get('since'), limit: get('limit') || '100' };
}

async function readAudit(filters: AuditFilters, ctx: RequestContext) {
  const limit = Math.min(Math.max(Number.parseInt(filters.limit, 10) || 100, 1), 1000);
  try {
    const events = await listAudit(
      { actor: filters.actor || undefined, action: filters.action || undefined, since: filters.since || undefined, limit },
      ctx,
    );
    return { events, error: null };
  } catch (thrown) {
    const error = toGitloreError(thrown);
    if (error.code !== 'QUERY_INVALID') throw thrown;
    return { events: [], error: { message: error.message, hint: error.hint } };
  }
}

/** `/account` (who you are, your tokens, sign-out) and `/admin` (users and the audit log; admins only, 403 otherwise). */
export function registerAccountPages(kit: PageKit): void {
  kit.http.get(
    '/account',
    kit.page(async (c) => {
      const ctx = kit.ctx(c);
      const [me, tokens] = await Promise.all([whoAmI(ctx), listMyTokens(ctx)]);
      return sendPage(c, <AccountPage assets={kit.assets} me={me} tokens={tokens} />);
    }),
  );
  kit.http.get(
    '/admin',
    kit.page(async (c) => {
      const ctx = kit.ctx(c);
      requireAdmin(ctx, 'open the admin page');
      const filters = auditFilters(c);
      const [me, users, audit] = await Promise.all([whoAmI(ctx), listUsers(ctx), readAudit(filters, ctx)]);
      return sendPage(
        c,
        <AdminPage assets={kit.assets} me={me} users={users} events={audit.events} filters={filters} auditError={audit.error} />,
        audit.error ? 400 : 200,
      );
    }),
  );
}
