import { describe, expect, it } from 'vitest';
import { mergeContributors } from './contributors.js';

const row = (name: string, email: string, commits: number, firstTime: number, lastTime: number) => ({
  name,
  email,
  commits,
  firstTime,
  lastTime,
});

describe('mergeContributors', () => {
  it('merges identities with the same name, keeping the most used email and the widest time span', () => {
    const merged = mergeContributors([
      row('Ada Lovelace', 'ada@old.example', 2, 100, 500),
      row('Bob', 'bob@example.com', 4, 200, 300),
      row('ada lovelace', 'ada@new.example', 3, 50, 400),
    ]);
    expect(merged).toEqual([row('ada lovelace', 'ada@new.example', 5, 50, 500), row('Bob', 'bob@example.com', 4, 200, 300)]);
  });

  it('ranks by commits, then by the latest commit, and leaves its input untouched', () => {
    const input = [row('A', 'a@x', 1, 1, 10), row('B', 'b@x', 1, 1, 20), row('C', 'c@x', 2, 1, 5)];
    const snapshot = structuredClone(input);
    expect(mergeContributors(input).map((r) => r.name)).toEqual(['C', 'B', 'A']);
    expect(input).toEqual(snapshot);
  });
});
