import { describe, expect, it } from 'vitest';
import { BACKENDS, useBackendStores } from '../helpers/backends.js';

describe.each(BACKENDS)('the store size on %s', (backend) => {
  const openStore = useBackendStores(backend);

  it('answers the bytes the database takes, and more once rows are written', async () => {
    const { store } = await openStore();
    const before = await store.sizeBytes();
    expect(before).toBeGreaterThan(0);
    const note = 'x'.repeat(2000);
    for (let i = 0; i < 400; i++) {
      await store.audit.append({ actor: 'local', action: 'token.create', target: null, detail: { note, i }, ip: null });
    }
    expect(await store.sizeBytes()).toBeGreaterThan(before);
  });
});
