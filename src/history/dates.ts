import { ERROR_CODES, GitloreError } from '../shared/errors.js';

/** Unix seconds + offset in minutes → `2013-08-17T00:15:57-07:00` (git's `--date=iso-strict`). */
export function formatIsoWithOffset(time: number, tzMinutes: number): string {
  const local = new Date((time + tzMinutes * 60) * 1000).toISOString().slice(0, 19);
  const sign = tzMinutes < 0 ? '-' : '+';
  const abs = Math.abs(tzMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Whether a bound is a calendar date (year, month or day, no time): those compare with the author's local date. */
export function isCalendarDate(value: string): boolean {
  return /^\d{4}(-\d{2}(-\d{2})?)?$/.test(value.trim());
}

const UNITS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86400, week: 604800, month: 2629746, year: 31556952 };

/**
 * `--since` / `--until` value → unix seconds. Accepts ISO dates and times
 * (`2024-05-01`, `2024-05-01T10:00:00+02:00`; no offset means UTC), a month
 * `2024-05`, a year, or `N days|weeks|months|years ago`. A bare date as an upper
 * bound means the end of that day (month, year).
 */
export function parseDateBound(value: string, bound: 'since' | 'until', now = Date.now()): number {
  const text = value.trim();
  const rel = /^(\d+)\s*(second|minute|hour|day|week|month|year)s?(\s+ago)?$/i.exec(text);
  if (rel) return Math.floor(now / 1000) - Number(rel[1]) * (UNITS[(rel[2] ?? 'day').toLowerCase()] ?? 86400);
  if (/^(today|now)$/i.test(text)) {
    const t = Math.floor(now / 1000);
    return text.toLowerCase() === 'now' ? t : bound === 'since' ? t - (t % 86400) : t - (t % 86400) + 86399;
  }
  let m = /^(\d{4})$/.exec(text);
  if (m) {
    const y = Number(m[1]);
    return bound === 'since' ? Date.UTC(y, 0, 1) / 1000 : Date.UTC(y + 1, 0, 1) / 1000 - 1;
  }
  m = /^(\d{4})-(\d{2})$/.exec(text);
  if (m && isMonth(Number(m[2]))) {
    const y = Number(m[1]);
    const mo = Number(m[2]) - 1;
    return bound === 'since' ? Date.UTC(y, mo, 1) / 1000 : Date.UTC(y, mo + 1, 1) / 1000 - 1;
  }
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m && isDay(Number(m[1]), Number(m[2]), Number(m[3]))) {
    const start = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 1000;
    return bound === 'since' ? start : start + 86399;
  }
  m = /^(\d{4})-(\d{2})-(\d{2})[T ]\d{2}:\d{2}/.exec(text);
  if (m && isDay(Number(m[1]), Number(m[2]), Number(m[3]))) {
    const iso = text.replace(' ', 'T');
    const ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`);
    if (!Number.isNaN(ms)) return Math.floor(ms / 1000);
  }
  if (/^\d{9,11}$/.test(text)) return Number(text);
  throw new GitloreError(ERROR_CODES.QUERY_INVALID, `--${bound} "${value}" is not a valid date.`, {
    hint: 'Use an ISO date such as 2024-05-01 or 2024-05-01T10:00:00+02:00, a month 2024-05, or "3 weeks ago".',
  });
}

function isMonth(month: number): boolean {
  return month >= 1 && month <= 12;
}

/** Whether the day exists in that month: `Date.UTC` would quietly roll 2024-13-45 over into 2025. */
function isDay(year: number, month: number, day: number): boolean {
  return isMonth(month) && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
