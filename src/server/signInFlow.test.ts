import { describe, expect, it } from 'vitest';
import { safeNext } from './signInFlow.js';

describe('safeNext', () => {
  it('keeps paths of this site, with their query and fragment', () => {
    expect(safeNext('/r/widgets/blob/src/a.ts?ref=main#L2-L4')).toBe('/r/widgets/blob/src/a.ts?ref=main#L2-L4');
    expect(safeNext('/search?q=a%20b')).toBe('/search?q=a%20b');
  });

  it('turns anything that could leave the site, or loop back into sign-in, into /', () => {
    for (const next of [
      undefined,
      '',
      'https://evil.example/',
      '//evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      '/\tevil',
      ' /x',
      '/login?next=/x',
      '/auth/callback?code=1',
      `/${'a'.repeat(2001)}`,
    ]) {
      expect(safeNext(next), String(next)).toBe('/');
    }
  });
});
