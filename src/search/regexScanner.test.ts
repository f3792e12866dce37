import { afterEach, describe, expect, it } from 'vitest';
import { createRegexScanner, type RegexScanner } from './regexScanner.js';

const scanners: RegexScanner[] = [];
afterEach(async () => {
  for (const scanner of scanners.splice(0)) await scanner.close();
});

function scanner(workers = 1): RegexScanner {
  const created = createRegexScanner({ workers });
  scanners.push(created);
  return created;
}

/** About 1 MB of code-like lines (what regexSearch sends per message), and a pattern that keeps RE2 busy on it. */
const PAGE = [{ id: 1, content: Array.from({ length: 25_000 }, (_, i) => `const v${i} = call(arg${i % 97}, 'text');`).join('\n') }];
const SLOW = '(\\w+\\s?)+zzz';

describe('createRegexScanner', () => {
  it('scans in a worker thread: the event loop keeps turning during a long scan', async () => {
    const lease = (await scanner().lease(Date.now() + 60_000))!;
    let longestGap = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      longestGap = Math.max(longestGap, performance.now() - last);
      last = performance.now();
    }, 5);
    const started = performance.now();
    while (performance.now() - started < 600) expect(await lease.scan(SLOW, PAGE, 10, () => {})).toEqual({ stopped: null });
    clearInterval(ticker);
    lease.release();
    expect(longestGap).toBeLessThan(100);
  });

  it('stops at the deadline with the matches found before it', async () => {
    const warm = scanner();
    (await warm.lease(Date.now() + 60_000))!.release();
    const files = [
      { id: 1, content: 'zzz here' },
      // 40 MB: more than any machine scans in the 20 ms before the deadline, prefilter or not.
      ...Array.from({ length: 2000 }, (_, i) => ({ id: i + 2, content: PAGE[0]!.content.slice(0, 20_000) })),
    ];
    const lease = (await warm.lease(Date.now() + 20))!;
    const found: number[] = [];
    const started = performance.now();
    const outcome = await lease.scan(SLOW.replace('zzz', 'z{3}'), files, 10, (id) => found.push(id));
    lease.release();
    expect(outcome).toEqual({ stopped: 'deadline' });
    expect(found.filter((id) => id !== 1)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('terminates a scan when its caller aborts', async () => {
    const controller = new AbortController();
    const lease = (await scanner().lease(Date.now() + 60_000, controller.signal))!;
    setTimeout(() => controller.abort(), 50);
    const started = performance.now();
    // Every line holds the pattern's literal (`zzz` after a comment marker, where it cannot match), so the prefilter
    // skips none and RE2 runs over all 30 MB; with lines lacking `zzz` the scan ended before the abort whenever the
    // worker started in under 50 ms.
    const lines = PAGE[0]!.content.replaceAll("'text');", "'text'); // zzz");
    const outcome = await lease.scan(
      SLOW,
      Array.from({ length: 30 }, (_, i) => ({ id: i, content: lines })),
      10,
      () => {},
    );
    lease.release();
    expect(outcome).toEqual({ stopped: 'aborted' });
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('lets a query wait for a busy worker only within its own budget', async () => {
    const shared = scanner(1);
    const first = (await shared.lease(Date.now() + 60_000))!;
    expect(await shared.lease(Date.now() + 50)).toBeNull();
    first.release();
    const second = await shared.lease(Date.now() + 1000);
    expect(second).not.toBeNull();
    second!.release();
  });
});
