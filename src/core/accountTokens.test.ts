import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openUserServices, type UserServices } from '../../test/helpers/userServices.js';
import type { UserRecord } from '../store/index.js';
import { createMyToken, listAllTokens, listMyTokens, revokeToken } from './accountTokens.js';
import { hashToken } from './apiTokens.js';
import { listAudit } from './audit.js';
import { createContext } from './context.js';
import type { Services } from './services.js';

let services: Services;
let admin: UserRecord;
let member: UserRecord;
let as: UserServices['as'];

beforeEach(async () => {
  ({ services, admin, member, as } = await openUserServices('gitlore-account-tokens-'));
});
afterEach(async () => {
  await services.close();
});

describe('my tokens', () => {
  it('creates a token that acts as me, lists mine only (no secret), revokes it; all audited', async () => {
    const created = await createMyToken({ name: 'laptop', scopes: ['mcp'] }, as(member));
    await createMyToken({ name: 'admin-ci' }, as(admin));
    expect(created.record).toMatchObject({ name: 'laptop', userId: member.id, scopes: ['mcp'] });
    expect((await services.store.tokens.findActiveByHash(hashToken(created.token)))?.userId).toBe(member.id);

    const mine = await listMyTokens(as(member));
    expect(mine.map((t) => t.name)).toEqual(['laptop']);
    expect(JSON.stringify(mine)).not.toContain(created.token.slice(12));

    await revokeToken(created.record.id, as(member));
    expect(await services.store.tokens.findActiveByHash(hashToken(created.token))).toBeNull();
    expect((await listMyTokens(as(member)))[0]?.revokedAt).not.toBeNull();
    const events = await listAudit({ actor: member.id }, createContext(services));
    expect(events.map((e) => [e.action, e.target])).toEqual([
      ['token.revoke', 'laptop'],
      ['token.create', 'laptop'],
    ]);
    expect(JSON.stringify(events)).not.toContain(created.token);
  });

  it("refuses a bad name or scope, and someone else's token (not found, not revealed)", async () => {
    await expect(createMyToken({ name: 'no spaces' }, as(member))).rejects.toMatchObject({ code: 'USAGE' });
    await expect(createMyToken({ name: 'x', scopes: ['admin'] }, as(member))).rejects.toMatchObject({ code: 'USAGE' });
    const theirs = await createMyToken({ name: 'ci' }, as(admin));
    await expect(revokeToken(theirs.record.id, as(member))).rejects.toMatchObject({ code: 'TOKEN_NOT_FOUND' });
    expect(await services.store.tokens.findActiveByHash(hashToken(theirs.token))).not.toBeNull();
    await expect(revokeToken(9999, as(member))).rejects.toMatchObject({ code: 'TOKEN_NOT_FOUND' });
  });

  it('revokes by id only: a token named like another id stays', async () => {
    const first = await createMyToken({ name: 'one' }, as(member));
    const namedLikeAnId = await createMyToken({ name: String(first.record.id) }, as(admin));
    await revokeToken(first.record.id, as(member));
    expect(await services.store.tokens.findActiveByHash(hashToken(namedLikeAnId.token))).not.toBeNull();
  });
});

describe("others' tokens (admins)", () => {
  it("an admin lists and revokes any user's token; a member may not list them", async () => {
    const theirs = await createMyToken({ name: 'bobs' }, as(member));
    await createMyToken({ name: 'adas' }, as(admin));
    expect((await listAllTokens(undefined, as(admin))).map((t) => t.name)).toEqual(['adas', 'bobs']);
    expect((await listAllTokens(member.id, as(admin))).map((t) => t.name)).toEqual(['bobs']);
    await expect(listAllTokens(undefined, as(member))).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: "Only admins can list other users' tokens.",
    });
    await revokeToken(theirs.record.id, as(admin));
    expect(await services.store.tokens.findActiveByHash(hashToken(theirs.token))).toBeNull();
    const [event] = await listAudit({ action: 'token.revoke' }, as(admin));
    expect(event).toMatchObject({ actor: admin.id, target: 'bobs', detail: { userId: member.id } });
  });
});
