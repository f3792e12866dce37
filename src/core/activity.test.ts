import { describe, expect, it } from 'vitest';
import { activityWindow, weekStart } from './activity.js';

describe('weekStart', () => {
  it('gives the Monday (UTC) of the week', () => {
    expect(weekStart(new Date('2024-01-01T12:00:00Z'))).toBe('2024-01-01'); // a Monday
    expect(weekStart(new Date('2024-01-07T23:59:59Z'))).toBe('2024-01-01'); // the Sunday after
    expect(weekStart(new Date('2024-03-01T00:00:00Z'))).toBe('2024-02-26'); // across a month (leap year)
  });
});

describe('activityWindow', () => {
  it('ends at the latest week with commits, fills gaps and the start with 0, oldest first', () => {
    const window = activityWindow(
      [
        { week: '2023-01-02', commits: 9 }, // more than 4 weeks before the end: outside
        { week: '2024-01-01', commits: 2 },
        { week: '2024-01-15', commits: 5 },
      ],
      { count: 4 },
    );
    expect(window.weeks).toEqual([
      { week: '2023-12-25', commits: 0 },
      { week: '2024-01-01', commits: 2 },
      { week: '2024-01-08', commits: 0 },
      { week: '2024-01-15', commits: 5 },
    ]);
    expect(window.total).toBe(7);
    expect(window.max).toBe(5);
  });

  it('a year by default, or up to a given date', () => {
    const weeks = [{ week: '2024-01-01', commits: 1 }];
    expect(activityWindow(weeks).weeks).toHaveLength(52);
    const later = activityWindow(weeks, { count: 3, end: new Date('2024-01-17T10:00:00Z') });
    expect(later.weeks.map((w) => w.week)).toEqual(['2024-01-01', '2024-01-08', '2024-01-15']);
    expect(later.total).toBe(1);
  });

  it('is empty without history', () => {
    expect(activityWindow([])).toEqual({ weeks: [], total: 0, max: 0 });
  });
});
