import { describe, expect, it } from 'vitest';
import { groupContributors } from './contributors.js';

const row = (name: string, email: string, commits: number, firstTime: number, lastTime: number) => ({
  name,
  email,
  commits,
  firstTime,
  lastTime,
});

describe('groupContributors', () => {
  const rows = [
    row('Ada Lovelace', 'ada@old.example', 2, 100, 500),
    row('Bob', 'bob@example.com', 4, 200, 300),
    row('Ada Lovelace', 'ada@new.example', 3, 50, 400),
    row('ada lovelace', 'ada@new.example', 1, 60, 70),
  ];

  it('groups by exact name as git shortlog -sn does, keeping the most used email and the widest time span', () => {
    expect(groupContributors(rows)).toEqual([
      row('Ada Lovelace', 'ada@new.example', 5, 50, 500),
      row('Bob', 'bob@example.com', 4, 200, 300),
      row('ada lovelace', 'ada@new.example', 1, 60, 70),
    ]);
  });

  it('groups by email, or by name and email', () => {
    expect(groupContributors(rows, 'email').map((r) => `${r.email}:${r.commits}`)).toEqual([
      'ada@new.example:4',
      'bob@example.com:4',
      'ada@old.example:2',
    ]);
    expect(groupContributors(rows, 'identity').map((r) => `${r.name} <${r.email}>:${r.commits}`)).toEqual([
      'Bob <bob@example.com>:4',
      'Ada Lovelace <ada@new.example>:3',
      'Ada Lovelace <ada@old.example>:2',
      'ada lovelace <ada@new.example>:1',
    ]);
  });

  it('ranks by commits, then by name in byte order as shortlog -n does, and leaves its input untouched', () => {
    const input = [row('b', 'b@x', 1, 1, 10), row('B', 'b2@x', 1, 1, 20), row('=', 'e@x', 1, 1, 5), row('C', 'c@x', 2, 1, 5)];
    const snapshot = structuredClone(input);
    expect(groupContributors(input).map((r) => r.name)).toEqual(['C', '=', 'B', 'b']);
    expect(input).toEqual(snapshot);
  });
});
