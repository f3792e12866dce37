import { describe, expect, it } from 'vitest';
import { redact, registerSecret } from './redact.js';

describe('redact', () => {
  it('masks a registered secret only where it stands as a whole token', () => {
    registerSecret('hunter2hunter2');
    expect(redact('token=hunter2hunter2&x=1, "hunter2hunter2" https://u:hunter2hunter2@host/')).toBe(
      'token=***&x=1, "***" https://***@host/',
    );
    // Inside a longer word it is some other word, not the secret.
    expect(redact('hunter2hunter2s and xhunter2hunter2')).toBe('hunter2hunter2s and xhunter2hunter2');
  });

  it('ignores secrets shorter than 8 characters, so a common word is not masked everywhere', () => {
    registerSecret('main');
    expect(redact('the main branch of main.go')).toBe('the main branch of main.go');
  });

  it('keeps placeholders in Authorization hints and masks real credentials', () => {
    expect(redact('clients send `Authorization: Bearer <token>`')).toBe('clients send `Authorization: Bearer <token>`');
    expect(redact('curl -H "Authorization: Bearer $GITLORE_TOKEN"')).toBe('curl -H "Authorization: Bearer $GITLORE_TOKEN"');
    expect(redact('Authorization: Bearer abc.def.ghi')).toBe('Authorization: Bearer ***');
  });
});
