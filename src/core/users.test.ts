import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openUserServices, type UserServices } from '../../test/helpers/userServices.js';
import type { UserRecord } from '../store/index.js';
import { listAudit } from './audit.js';
import { startSession } from './auth/sessions.js';
import { createContext } from './context.js';
import type { Services } from './services.js';
import { listUsers, updateUser } from './users.js';

let services: Services;
let admin: UserRecord;
let member: UserRecord;
let as: UserServices['as'];
let signIn: UserServices['signIn'];

beforeEach(async () => {
  ({ services, admin, member, as, signIn } = await openUserServices('gitlore-users-'));
});
afterEach(async () => {
  await services.close();
});

describe('users (admins)', () => {
  it('lists users with role, sign-in, disabled and permission sync state', async () => {
    await services.store.access.setSyncState({
      userId: member.id,
      status: 'failed',
      lastSyncedAt: null,
      lastError: 'rate limited',
      repoCount: 2,
    });
    const users = await listUsers(as(admin));
    expect(users.map((u) => [u.email, u.role, u.disabled])).toEqual(
      expect.arrayContaining([
        ['ada@acme.dev', 'admin', false],
        ['bob@acme.dev', 'member', false],
      ]),
    );
    expect(users.find((u) => u.id === member.id)?.permissions).toEqual({
      status: 'failed',
      lastSyncedAt: null,
      lastError: 'rate limited',
      repoCount: 2,
    });
    expect(users.find((u) => u.id === admin.id)?.permissions).toBeNull();
  });

  it('refuses members every admin action, naming what is needed', async () => {
    await expect(listUsers(as(member))).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'Only admins can list users.' });
    await expect(updateUser(member.id, { role: 'admin' }, as(member))).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: /Only admins can/,
    });
    await expect(listAudit({}, as(member))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await services.store.users.get(member.id))?.role).toBe('member');
  });

  it('sets a role and audits it; an unknown user is USER_NOT_FOUND', async () => {
    const updated = await updateUser(member.id, { role: 'admin' }, as(admin));
    expect(updated.role).toBe('admin');
    expect((await services.store.users.get(member.id))?.role).toBe('admin');
    const [event] = await listAudit({ action: 'role.set' }, as(admin));
    expect(event).toMatchObject({ actor: admin.id, target: member.id, detail: { from: 'member', to: 'admin' } });
    await expect(updateUser('nobody', { role: 'admin' }, as(admin))).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
  });

  it('the last active admin can neither demote nor disable themselves; with a second admin they can', async () => {
    await expect(updateUser(admin.id, { role: 'member' }, as(admin))).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: /last active admin/,
    });
    await expect(updateUser(admin.id, { disabled: true }, as(admin))).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: /last active admin/,
    });
    // A disabled admin does not count.
    const dormant = await signIn('carol', 'admin');
    await services.store.users.setDisabled(dormant.id, true);
    await expect(updateUser(admin.id, { role: 'member' }, as(admin))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await services.store.users.get(admin.id))?.role).toBe('admin');
    await updateUser(member.id, { role: 'admin' }, as(admin));
    expect((await updateUser(admin.id, { role: 'member' }, as(admin))).role).toBe('member');
    expect(await listAudit({ action: 'role.set' }, createContext(services))).toHaveLength(2);
  });

  it('disabling ends the sessions and is audited; enabling lets them back', async () => {
    const policy = services.config;
    const one = await startSession(services.store.sessions, member, policy);
    await startSession(services.store.sessions, member, policy);
    const theirs = await startSession(services.store.sessions, admin, policy);
    const updated = await updateUser(member.id, { disabled: true }, as(admin));
    expect(updated.disabled).toBe(true);
    const { createHash } = await import('node:crypto');
    const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
    expect(await services.store.sessions.find(hash(one.secret))).toBeNull();
    expect(await services.store.sessions.deleteForUser(member.id)).toBe(0);
    expect(await services.store.sessions.find(hash(theirs.secret))).not.toBeNull();
    const [event] = await listAudit({ action: 'user.' }, as(admin));
    expect(event).toMatchObject({ action: 'user.disable', actor: admin.id, target: member.id, detail: { sessions: 2 } });
    expect((await updateUser(member.id, { disabled: false }, as(admin))).disabled).toBe(false);
    expect((await listAudit({ action: 'user.' }, as(admin))).map((e) => e.action)).toEqual(['user.enable', 'user.disable']);
  });
});
