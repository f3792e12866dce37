import './page.js';
import { lineFragment, type TokenLine, tokenizeLines } from './highlight.js';

/** Files above this are left plain: tokenizing takes about 20 ms per 1,000 lines on the 2-core box. */
const MAX_HIGHLIGHT_LINES = 20_000;

const code = document.getElementById('code') as HTMLElement | null;
const rows = code ? [...code.querySelectorAll<HTMLElement>('.line')] : [];
let anchor: number | null = null;

/** `#L10` or `#L10-L20` → [10, 20], clamped to the file; null otherwise. */
function parseRange(hash: string): [number, number] | null {
  const m = /^#L(\d+)(?:-L?(\d+))?$/.exec(hash);
  if (!m) return null;
  const a = Number(m[1]);
  const b = m[2] ? Number(m[2]) : a;
  const start = Math.max(1, Math.min(a, b));
  const end = Math.min(rows.length, Math.max(a, b));
  return start <= end ? [start, end] : null;
}

function select(range: [number, number] | null, scroll: boolean): void {
  for (const row of code?.querySelectorAll('.line.sel') ?? []) row.classList.remove('sel');
  if (!range) return;
  for (let n = range[0]; n <= range[1]; n++) rows[n - 1]?.classList.add('sel');
  const first = rows[range[0] - 1];
  if (scroll && first) first.scrollIntoView({ block: range[1] - range[0] > 20 ? 'start' : 'center' });
  document.documentElement.dataset.selected = `${range[0]}-${range[1]}`;
}

function setHash(range: [number, number]): void {
  const hash = range[0] === range[1] ? `#L${range[0]}` : `#L${range[0]}-L${range[1]}`;
  history.replaceState(null, '', hash);
  select(range, false);
}

code?.addEventListener('click', (event) => {
  const link = (event.target as HTMLElement).closest<HTMLAnchorElement>('a.ln');
  if (!link) return;
  event.preventDefault();
  const line = Number(link.textContent);
  if (event.shiftKey && anchor !== null) {
    setHash([Math.min(anchor, line), Math.max(anchor, line)]);
    getSelection()?.removeAllRanges();
  } else {
    anchor = line;
    setHash([line, line]);
  }
});

// Symbol links and back/forward: the range in the fragment, selected and scrolled to.
window.addEventListener('hashchange', () => {
  const range = parseRange(location.hash);
  if (range) anchor = range[0];
  select(range, true);
});

/** Lines tokenized alone, before the whole file, around the first line shown. */
const QUICK_LINES = 300;

/**
 * Two passes. First the lines around `firstLine` alone, drawn at once, so the code in view is coloured
 * within a frame or two (a comment opened above them may be coloured wrongly for that moment). Then, after
 * that paint, the whole file (multi-line comments and strings need it: ~300 ms for 3,000 lines on the 2-core
 * box), drawn block by block as blocks come near the viewport (one block of 100 lines takes ~10 ms).
 */
function highlight(firstLine: number, done: () => void): void {
  const language = code?.dataset.lang ?? '';
  const cells = rows.map((row) => row.querySelector('.lc') as HTMLElement);
  const texts = cells.map((c) => c.textContent ?? '');
  if (!code || !language || rows.length === 0 || rows.length > MAX_HIGHLIGHT_LINES) {
    done();
    return;
  }
  const from = Math.max(0, firstLine - 1 - 20);
  const quick = tokenizeLines(texts.slice(from, from + QUICK_LINES).join('\n'), language);
  if (!quick) {
    done();
    return;
  }
  code.classList.add('highlighted');
  for (const [i, line] of quick.entries()) cells[from + i]?.replaceChildren(lineFragment(line));
  done();
  // After the next paint, so the quick pass shows first.
  requestAnimationFrame(() => setTimeout(full, 0));
  function full(): void {
    if (!code) return;
    const lines = tokenizeLines(texts.join('\n'), language) as TokenLine[];
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          observer.unobserve(entry.target);
          for (const row of entry.target.children) {
            const n = Number(row.id.slice(1));
            cells[n - 1]?.replaceChildren(lineFragment(lines[n - 1] as TokenLine));
          }
        }
      },
      { root: code, rootMargin: '1000px 0px' },
    );
    for (const block of code.querySelectorAll('.block')) observer.observe(block);
  }
}

const initial = parseRange(location.hash);
if (initial) anchor = initial[0];
select(initial, true);
performance.mark('gitlore:highlight-start');
// For tests and the bench: the lines in view are highlighted.
highlight(initial?.[0] ?? 1, () => {
  performance.mark('gitlore:highlight-end');
  document.documentElement.dataset.ready = 'file';
});
