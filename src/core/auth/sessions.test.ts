import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/git.js';
import type { Store, UserRecord } from '../../store/index.js';
import { openSqliteStore } from '../../store/sqlite/sqliteStore.js';
import { endSession, resolveSession, startSession } from './sessions.js';

const policy = { sessionIdleSec: 3600, sessionMaxAgeSec: 86_400 };
let store: Store;
let ada: UserRecord;

beforeEach(async () => {
  store = openSqliteStore(join(tempDir('gitlore-sessions-'), 'index', 'gitlore.db'), { vectorIndexDir: null });
  ada = await store.users.signIn({ provider: 'oidc', subject: 'iss|1', email: 'ada@acme.dev' }, { role: 'member', linkByEmail: false });
});
afterEach(async () => {
  await store.close();
});

describe('sessions', () => {
  it('a started session resolves to its user; the store holds only the hash', async () => {
    const { secret, expiresAt } = await startSession(store.sessions, ada, policy, 'Mozilla/5.0');
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(86_000_000);
    expect((await resolveSession(store.sessions, secret, policy))?.id).toBe(ada.id);
    expect(await store.sessions.find(secret)).toBeNull();
  });

  it('refuses garbage, idle and expired sessions, deleting them', async () => {
    const { secret } = await startSession(store.sessions, ada, policy);
    expect(await resolveSession(store.sessions, 'nope', policy)).toBeNull();
    // One character changed (never to itself: a secret ending in A would otherwise stay the same).
    const forged = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    expect(await resolveSession(store.sessions, forged, policy)).toBeNull();
    // An hour and a second later, idle.
    expect(await resolveSession(store.sessions, secret, policy, Date.now() + 3601_000)).toBeNull();
    expect(await resolveSession(store.sessions, secret, policy)).toBeNull();

    const second = await startSession(store.sessions, ada, { ...policy, sessionMaxAgeSec: 300 });
    expect(await resolveSession(store.sessions, second.secret, policy, Date.now() + 301_000)).toBeNull();
  });

  it('use keeps a session alive past the idle limit, never past the absolute one', async () => {
    const { secret } = await startSession(store.sessions, ada, { sessionIdleSec: 3600, sessionMaxAgeSec: 3 * 3600 });
    const p = { sessionIdleSec: 3600, sessionMaxAgeSec: 3 * 3600 };
    const t0 = Date.now();
    expect(await resolveSession(store.sessions, secret, p, t0 + 3000_000)).not.toBeNull();
    expect(await resolveSession(store.sessions, secret, p, t0 + 6000_000)).not.toBeNull();
    expect(await resolveSession(store.sessions, secret, p, t0 + 9000_000)).not.toBeNull();
    expect(await resolveSession(store.sessions, secret, p, t0 + 3 * 3600_000 + 1000)).toBeNull();
  });

  it('logout ends the session; a disabled user has none', async () => {
    const one = await startSession(store.sessions, ada, policy);
    await endSession(store.sessions, one.secret);
    expect(await resolveSession(store.sessions, one.secret, policy)).toBeNull();
    const two = await startSession(store.sessions, ada, policy);
    await store.users.setDisabled(ada.id, true);
    expect(await resolveSession(store.sessions, two.secret, policy)).toBeNull();
  });
});
