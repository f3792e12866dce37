import { describe, expect, it } from 'vitest';
import { githubWebBase } from './githubOauth.js';

describe('githubWebBase', () => {
  it('finds the OAuth pages of github.com, GitHub Enterprise and anything else from the API URL', () => {
    expect(githubWebBase('https://api.github.com')).toBe('https://github.com');
    expect(githubWebBase('https://api.github.com/')).toBe('https://github.com');
    expect(githubWebBase('https://ghe.example.com/api/v3')).toBe('https://ghe.example.com');
    expect(githubWebBase('http://127.0.0.1:4567')).toBe('http://127.0.0.1:4567');
  });
});
