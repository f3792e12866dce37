import { describe, expect, it } from 'vitest';
import { stripUrlCredentials, urlCredentials } from './urlCredentials.js';

const TOKEN = `ghp_${'x1Y2z3'.repeat(6)}`;

describe('urlCredentials', () => {
  it('finds a password in any scheme and in scp-like URLs', () => {
    for (const url of [
      'https://u:p@h/a.git',
      'http://u:p@h/a.git',
      'ssh://git:p@h/a.git',
      'git+ssh://git:p@h/a.git',
      'ftps://u:p@h/a.git',
      'git:p@h:a/b.git',
    ]) {
      expect(urlCredentials(url), url).toBe('password');
    }
  });

  it('finds a token used as user name; an ssh account is not one', () => {
    expect(urlCredentials(`https://${TOKEN}@github.com/a/b.git`)).toBe('token');
    expect(urlCredentials('https://alice@example.com/a/b.git')).toBe('token');
    expect(urlCredentials(`ssh://${TOKEN}@github.com/a/b.git`)).toBe('token');
    expect(urlCredentials(`${TOKEN}@github.com:a/b.git`)).toBe('token');
    for (const url of [
      'git@github.com:a/b.git',
      'ssh://git@h:22/a.git',
      'https://h/a@b.git',
      '/srv/a@b:c',
      'HEAD@{1}:README.md',
      'file:///srv/a.git',
    ]) {
      expect(urlCredentials(url), url).toBeNull();
    }
  });

  it('strips the secret and keeps an ssh account', () => {
    expect(stripUrlCredentials('https://u:p@h/a.git')).toBe('https://h/a.git');
    expect(stripUrlCredentials(`https://${TOKEN}@github.com/a.git`)).toBe('https://github.com/a.git');
    expect(stripUrlCredentials('ssh://git:p@h/a.git')).toBe('ssh://git@h/a.git');
    expect(stripUrlCredentials('git:p@h:a/b.git')).toBe('git@h:a/b.git');
    expect(stripUrlCredentials('git@h:a/b.git')).toBe('git@h:a/b.git');
  });
});
