import type { RequestContext } from './context.js';
import { commitActivity } from './history.js';

export interface ActivityWeek {
  /** Monday of the week (UTC), YYYY-MM-DD. */
  week: string;
  commits: number;
}

/** A year (or `count` weeks) of commit counts for a chart: every week present, oldest first. */
export interface ActivityWindow {
  weeks: ActivityWeek[];
  /** Commits in the window. */
  total: number;
  /** The busiest week's commits (0 when the window is empty). */
  max: number;
}

const WEEK_MS = 7 * 86_400_000;

/** The Monday (UTC) of the week holding `date`, as YYYY-MM-DD. */
export function weekStart(date: Date): string {
  const day = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const monday = day - ((new Date(day).getUTCDay() + 6) % 7) * 86_400_000;
  return new Date(monday).toISOString().slice(0, 10);
}

/**
 * The `count` weeks ending with the week of `end` (the latest week with commits when absent, so a repository that
 * went quiet still shows its last active year), weeks without commits as 0. `weeks` is commitActivity's answer:
 * Monday-started weeks, oldest first; gaps are allowed.
 */
export function activityWindow(weeks: readonly ActivityWeek[], options: { count?: number; end?: Date } = {}): ActivityWindow {
  const count = options.count ?? 52;
  const last = weeks[weeks.length - 1];
  if (!last && !options.end) return { weeks: [], total: 0, max: 0 };
  const endWeek = Date.parse(options.end ? weekStart(options.end) : (last as ActivityWeek).week);
  const counts = new Map(weeks.map((w) => [w.week, w.commits]));
  const out: ActivityWeek[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const week = new Date(endWeek - i * WEEK_MS).toISOString().slice(0, 10);
    out.push({ week, commits: counts.get(week) ?? 0 });
  }
  return { weeks: out, total: out.reduce((n, w) => n + w.commits, 0), max: Math.max(0, ...out.map((w) => w.commits)) };
}

/** Non-merge commits per week over the repository's last active year (52 weeks), for the overview's chart. */
export async function recentActivity(params: { repo: string; weeks?: number }, ctx: RequestContext): Promise<ActivityWindow> {
  const { weeks } = await commitActivity({ repo: params.repo }, ctx);
  return activityWindow(weeks, { count: params.weeks ?? 52 });
}
