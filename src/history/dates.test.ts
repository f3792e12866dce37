import { describe, expect, it } from 'vitest';
import { formatIsoWithOffset, isCalendarDate, parseDateBound } from './dates.js';

describe('formatIsoWithOffset', () => {
  it('prints the wall clock of the offset, like git --date=iso-strict', () => {
    expect(formatIsoWithOffset(1376723757, -420)).toBe('2013-08-17T00:15:57-07:00');
    expect(formatIsoWithOffset(0, 0)).toBe('1970-01-01T00:00:00+00:00');
    expect(formatIsoWithOffset(1700000000, 330)).toBe('2023-11-15T03:43:20+05:30');
  });
});

describe('parseDateBound', () => {
  it('reads calendar dates as whole days, months and years', () => {
    expect(parseDateBound('2024-05-01', 'since')).toBe(Date.UTC(2024, 4, 1) / 1000);
    expect(parseDateBound('2024-05-01', 'until')).toBe(Date.UTC(2024, 4, 2) / 1000 - 1);
    expect(parseDateBound('2024-02', 'until')).toBe(Date.UTC(2024, 2, 1) / 1000 - 1);
    expect(parseDateBound('2023', 'since')).toBe(Date.UTC(2023, 0, 1) / 1000);
    expect(isCalendarDate('2024-02')).toBe(true);
    expect(isCalendarDate('2024-02-01T10:00:00Z')).toBe(false);
  });

  it('reads instants with offsets and relative dates', () => {
    expect(parseDateBound('2024-05-01T10:00:00+02:00', 'since')).toBe(Date.UTC(2024, 4, 1, 8) / 1000);
    expect(parseDateBound('2024-05-01 10:00', 'since')).toBe(Date.UTC(2024, 4, 1, 10) / 1000);
    const now = Date.UTC(2024, 0, 15);
    expect(parseDateBound('2 weeks ago', 'since', now)).toBe(now / 1000 - 14 * 86400);
  });

  it('rejects dates that do not exist instead of rolling them over', () => {
    for (const value of ['2024-13-45', '2024-02-30', '2023-02-29', '2024-00-10', '2024-13', '2024-13-45T10:00:00Z']) {
      expect(() => parseDateBound(value, 'since'), value).toThrow(`--since "${value}" is not a valid date`);
    }
    expect(parseDateBound('2024-02-29', 'since')).toBe(Date.UTC(2024, 1, 29) / 1000);
  });

  it('rejects anything else naming the accepted forms', () => {
    expect(() => parseDateBound('last tuesday', 'since')).toThrow(/--since "last tuesday"/);
    try {
      parseDateBound('soon', 'until');
    } catch (error) {
      expect((error as { code: string; hint: string }).code).toBe('QUERY_INVALID');
      expect((error as { hint: string }).hint).toContain('2024-05-01');
    }
  });
});
