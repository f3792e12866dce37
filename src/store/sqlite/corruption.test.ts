import { describe, expect, it } from 'vitest';
import { GitloreError } from '../../shared/errors.js';
import { guardCorruption, isCorruption } from './corruption.js';

const sqliteError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('guardCorruption', () => {
  const store = {
    async read(fail: Error | null) {
      if (fail) throw fail;
      return 'rows';
    },
    write(fail: Error | null) {
      if (fail) throw fail;
      return 1;
    },
  };
  const guarded = guardCorruption(store, '/data/index/gitlore.db');

  it('turns corruption from async and sync methods into STORE_CORRUPT naming the file and the fix', async () => {
    const failure = await guarded.read(sqliteError('SQLITE_CORRUPT', 'database disk image is malformed')).catch((e) => e);
    expect(failure).toBeInstanceOf(GitloreError);
    expect(failure).toMatchObject({ code: 'STORE_CORRUPT', hint: expect.stringMatching(/gitlore index --full/) });
    expect(failure.message).toMatch(/\/data\/index\/gitlore\.db is corrupt/);
    expect(() => guarded.write(sqliteError('SQLITE_NOTADB', 'file is not a database'))).toThrow(/is corrupt/);
  });

  it('passes results and other errors through unchanged', async () => {
    expect(await guarded.read(null)).toBe('rows');
    expect(guarded.write(null)).toBe(1);
    const other = sqliteError('SQLITE_CONSTRAINT', 'UNIQUE constraint failed');
    await expect(guarded.read(other)).rejects.toBe(other);
  });

  it('turns a busy database into LOCKED naming the file, not a bare "database is locked"', async () => {
    const busy = sqliteError('SQLITE_BUSY', 'database is locked');
    await expect(guarded.read(busy)).rejects.toMatchObject({
      code: 'LOCKED',
      message: /Another process is writing to the database .+gitlore\.db/,
    });
    expect(() => guarded.write(sqliteError('SQLITE_BUSY_SNAPSHOT', 'database is locked'))).toThrow(/Another process is writing/);
  });

  it('recognises FTS5 damage by its message', () => {
    expect(isCorruption(new Error('vtable constructor failed: index_fts'))).toBe(true);
    expect(isCorruption(new Error('no such table: repos'))).toBe(false);
    expect(isCorruption(undefined)).toBe(false);
  });
});
