import { describe, expect, it } from 'vitest';
import type { AuditEvent, Store } from '../../src/store/index.js';
import { BACKENDS, useBackendStores } from '../helpers/backends.js';

const actions = (events: AuditEvent[]) => events.map((e) => e.action);

async function appendAll(store: Store, events: [actor: string, action: string, at?: string][]): Promise<AuditEvent[]> {
  const appended: AuditEvent[] = [];
  for (const [actor, action, at] of events)
    appended.push(await store.audit.append({ actor, action, at, target: null, detail: {}, ip: null }));
  return appended;
}

describe.each(BACKENDS)('the audit log on %s', (backend) => {
  const openStore = useBackendStores(backend);

  it('appends events with increasing ids and reads them back whole, newest first', async () => {
    const { store } = await openStore();
    const detail = { n: 1, nested: { list: [1, 'two', null, true] }, text: 'ünïcødé ✓ "quoted"' };
    const first = await store.audit.append({ actor: 'u_a', action: 'signin', target: 'u_a', detail, ip: '127.0.0.1' });
    const second = await store.audit.append({
      actor: 'local',
      action: 'token.create',
      at: '2030-01-01T00:00:00.000Z',
      target: null,
      detail: {},
      ip: null,
    });
    expect(first).toEqual({
      id: expect.any(Number),
      at: expect.stringMatching(/^\d{4}-/),
      actor: 'u_a',
      action: 'signin',
      target: 'u_a',
      detail,
      ip: '127.0.0.1',
    });
    expect(second).toMatchObject({ at: '2030-01-01T00:00:00.000Z', actor: 'local', target: null, detail: {}, ip: null });
    expect(second.id).toBeGreaterThan(first.id);
    expect(await store.audit.list()).toEqual([second, first]);
  });

  it('filters by actor, exact action, action prefix and time, together', async () => {
    const { store } = await openStore();
    await appendAll(store, [
      ['u_a', 'signin', '2030-01-01T00:00:00.000Z'],
      ['anonymous', 'signin.refused', '2030-01-02T00:00:00.000Z'],
      ['u_a', 'token.create', '2030-01-03T00:00:00.000Z'],
      ['u_b', 'token.revoke', '2030-01-04T00:00:00.000Z'],
      ['u_a', 'tokenize', '2030-01-05T00:00:00.000Z'],
      ['u_a', 'Token.create', '2030-01-06T00:00:00.000Z'],
    ]);
    expect(actions(await store.audit.list())).toEqual([
      'Token.create',
      'tokenize',
      'token.revoke',
      'token.create',
      'signin.refused',
      'signin',
    ]);
    expect(actions(await store.audit.list({ actor: 'u_a' }))).toEqual(['Token.create', 'tokenize', 'token.create', 'signin']);
    expect(actions(await store.audit.list({ actor: 'U_A' }))).toEqual([]);
    expect(actions(await store.audit.list({ action: 'token.' }))).toEqual(['token.revoke', 'token.create']);
    expect(actions(await store.audit.list({ action: 'signin' }))).toEqual(['signin']);
    expect(actions(await store.audit.list({ action: 'token' }))).toEqual([]);
    expect(actions(await store.audit.list({ since: '2030-01-04T00:00:00.000Z' }))).toEqual(['Token.create', 'tokenize', 'token.revoke']);
    expect(actions(await store.audit.list({ actor: 'u_a', action: 'token.', since: '2030-01-02T00:00:00.000Z' }))).toEqual([
      'token.create',
    ]);
    expect(actions(await store.audit.list({ actor: '', action: '' }))).toHaveLength(6);
  });

  it('pages back by id, a limit at a time, visiting every event once', async () => {
    const { store } = await openStore();
    const appended = await appendAll(
      store,
      Array.from({ length: 7 }, (_, i) => ['u_a', `a.${i}`] as [string, string]),
    );
    const seen: string[] = [];
    let beforeId: number | undefined;
    for (;;) {
      const page = await store.audit.list({ beforeId, limit: 3 });
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(3);
      seen.push(...actions(page));
      beforeId = page.at(-1)?.id;
    }
    expect(seen).toEqual(actions(appended).reverse());
    expect(actions(await store.audit.list({ beforeId: appended[3]?.id, action: 'a.' }))).toEqual(['a.2', 'a.1', 'a.0']);
  });

  it('answers 100 events by default and clamps the limit to at least 1', async () => {
    const { store } = await openStore();
    await appendAll(
      store,
      Array.from({ length: 101 }, (_, i) => ['u_a', `a.${i}`] as [string, string]),
    );
    const all = await store.audit.list();
    expect(all).toHaveLength(100);
    expect(all[0]?.action).toBe('a.100');
    expect(await store.audit.list({ limit: 0 })).toHaveLength(1);
    expect(await store.audit.list({ limit: -5 })).toHaveLength(1);
    expect(await store.audit.list({ limit: 5000 })).toHaveLength(101);
  });
});
