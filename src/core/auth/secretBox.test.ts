import { describe, expect, it } from 'vitest';
import { open, seal } from './secretBox.js';

const KEY = 'a-secret-key-of-enough-length';

describe('secretBox', () => {
  it('opens what it sealed, and never stores the plaintext', () => {
    const sealed = seal(KEY, 'gho_abc123');
    expect(sealed).not.toContain('gho_abc123');
    expect(open(KEY, sealed)).toBe('gho_abc123');
    expect(seal(KEY, 'gho_abc123')).not.toBe(sealed);
  });

  it('refuses another key, another purpose or a tampered value with a hint', () => {
    const sealed = seal(KEY, 'gho_abc123');
    expect(() => open('another-secret-key-entirely', sealed)).toThrow(/SECRET_KEY changed/);
    expect(() => open(KEY, sealed, 'other-purpose')).toThrow(/SECRET_KEY changed/);
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => open(KEY, parts.join('.'))).toThrow(/cannot be opened/);
    expect(() => open(KEY, 'garbage')).toThrow(/cannot be opened/);
  });
});
