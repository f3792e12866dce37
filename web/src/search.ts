import { SEARCH_LIMIT } from '../../src/shared/searchLimits.js';
import {
  answerTerms,
  blobHref,
  CONTEXT_LINES,
  chunkMeta,
  commitViewHref,
  contextLines,
  groupHits,
  isFileGrouped,
  markPieces,
  moreHref,
  OPEN_FILE_CHUNKS,
  relativeAge,
  searchHref,
  summaryText,
  type ViewChunk,
  type ViewCommit,
  type ViewDiff,
  type ViewHit,
  type ViewLastChange,
  type ViewParsed,
} from '../../src/shared/searchView.js';
import { h, isTyping } from './dom.js';

interface SearchAnswer {
  query: string;
  tookMs: number;
  results: ViewHit[];
  commits?: ViewCommit[];
  diffs?: ViewDiff[];
  parsed?: ViewParsed;
  partial?: boolean;
  partialReason?: string;
}

interface ApiError {
  error: { code: string; message: string; hint?: string };
}

/** Waits this long after a keystroke for the next one before searching. */
const DEBOUNCE_MS = 40;
const FIELDS = ['q', 'repo', 'lang', 'path', 'mode', 'group', 'limit'] as const;

const form = document.getElementById('search-form') as HTMLFormElement;
const box = document.getElementById('q') as HTMLInputElement;
const summary = document.getElementById('summary') as HTMLElement;
const list = document.getElementById('result-list') as HTMLElement;
const section = document.getElementById('results') as HTMLElement;

let timer: ReturnType<typeof setTimeout> | undefined;
let inflight: AbortController | null = null;
let generation = 0;

function values(): Record<(typeof FIELDS)[number], string> {
  const data = new FormData(form);
  const out = {} as Record<(typeof FIELDS)[number], string>;
  for (const key of FIELDS) out[key] = String(data.get(key) ?? '').trim();
  if (out.mode === 'hybrid') out.mode = '';
  return out;
}

/** A snippet's lines with their terms marked, as the server draws them (src/server/web/searchResults.tsx SnippetLine). */
function renderSnippet(hit: { snippet: string; startLine: number }, terms: string[]): Node {
  return h(
    'pre',
    { class: 'snippet' },
    ...contextLines(hit, terms)
      .slice(0, CONTEXT_LINES)
      .map((line) =>
        h(
          'span',
          { class: 'line' },
          h('span', { class: 'ln', 'aria-hidden': 'true' }, String(line.n)),
          h('code', null, ...markPieces(line.text, terms).map((p) => (p.marked ? h('mark', null, p.text) : p.text))),
        ),
      ),
  );
}

/** One chunk of a file row, as the server draws it (src/server/web/searchResults.tsx ChunkLink). */
function renderChunk(hit: ViewHit, chunk: ViewChunk, terms: string[]): Node {
  return h(
    'li',
    null,
    h(
      'a',
      { class: 'hit', href: blobHref(hit.repo, hit.path, chunk.startLine, chunk.endLine) },
      h('span', { class: 'hit-meta' }, chunkMeta(hit, chunk)),
      renderSnippet(chunk, terms),
    ),
  );
}

/** Grouped by file: a row per file with its best chunks, as the server draws them (searchResults.tsx FileResults). */
function renderFiles(hits: ViewHit[], terms: string[]): Node {
  return h(
    'ol',
    { class: 'groups file-rows' },
    ...hits.map((hit) => {
      const chunks = hit.chunks ?? [];
      const folded = chunks.slice(OPEN_FILE_CHUNKS);
      return h(
        'li',
        { class: 'group file-row' },
        h(
          'h3',
          { class: 'group-head' },
          h(
            'a',
            { href: blobHref(hit.repo, hit.path) },
            h('span', { class: 'repo' }, hit.repo),
            h('span', { class: 'sep' }, '/'),
            hit.path,
          ),
          h(
            'span',
            { class: 'lang' },
            hit.language,
            hit.score !== undefined ? h('span', { class: 'file-score' }, ` · score ${hit.score}`) : null,
          ),
        ),
        h('ol', { class: 'hits' }, ...chunks.slice(0, OPEN_FILE_CHUNKS).map((chunk) => renderChunk(hit, chunk, terms))),
        hit.lastChange ? renderLastChange(hit.repo, hit.lastChange) : null,
        folded.length > 0 &&
          h(
            'details',
            { class: 'more-chunks' },
            h('summary', null, `${folded.length} more in this file`),
            h('ol', { class: 'hits' }, ...folded.map((chunk) => renderChunk(hit, chunk, terms))),
          ),
      );
    }),
  );
}

function renderHits(answer: SearchAnswer, mode: string): Node {
  const terms = answerTerms(answer, mode);
  if (isFileGrouped(answer.results)) return renderFiles(answer.results, terms);
  return h(
    'ol',
    { class: 'groups' },
    ...groupHits(answer.results).map((group) =>
      h(
        'li',
        { class: 'group' },
        h(
          'h3',
          { class: 'group-head' },
          h(
            'a',
            { href: blobHref(group.repo, group.path) },
            h('span', { class: 'repo' }, group.repo),
            h('span', { class: 'sep' }, '/'),
            group.path,
          ),
          h('span', { class: 'lang' }, group.language),
        ),
        h(
          'ol',
          { class: 'hits' },
          ...group.hits.map((hit) =>
            h(
              'li',
              null,
              h(
                'a',
                { class: 'hit', href: blobHref(hit.repo, hit.path, hit.startLine, hit.endLine) },
                h(
                  'span',
                  { class: 'hit-meta' },
                  `${hit.symbol ? `${hit.kind} ${hit.symbol} · ` : ''}lines ${hit.startLine}–${hit.endLine}`,
                ),
                renderSnippet(hit, terms),
              ),
              ...(hit.lastChange ? [renderLastChange(hit.repo, hit.lastChange)] : []),
            ),
          ),
        ),
      ),
    ),
  );
}

/** Who last changed a hit's lines, as the server draws it (src/server/web/searchResults.tsx). */
function renderLastChange(repo: string, c: ViewLastChange): Node {
  return h(
    'p',
    { class: 'last-change' },
    `${c.author} · `,
    h('time', { datetime: c.date }, relativeAge(c.date)),
    ' · ',
    h('a', { href: commitViewHref(repo, c.hash), title: c.hash }, c.subject),
  );
}

/** `type:commit` answers, as the server draws them (src/server/web/searchResults.tsx). */
function renderCommits(commits: ViewCommit[]): Node {
  return h(
    'ol',
    { class: 'commit-hits' },
    ...commits.map((c) =>
      h(
        'li',
        null,
        h(
          'a',
          { href: commitViewHref(c.repo, c.hash) },
          h('span', { class: 'repo' }, c.repo),
          ' ',
          h('code', null, c.hash.slice(0, 10)),
          ' ',
          c.subject,
        ),
        ' ',
        h('span', { class: 'muted' }, `${c.author} · `, h('time', { datetime: c.date }, c.date.slice(0, 10))),
      ),
    ),
  );
}

/** `type:diff` answers, as the server draws them (src/server/web/searchResults.tsx DiffResults). */
function renderDiffs(diffs: ViewDiff[]): Node {
  return h(
    'ol',
    { class: 'commit-hits diff-hits' },
    ...diffs.map((d) =>
      h(
        'li',
        null,
        h(
          'a',
          { href: commitViewHref(d.repo, d.hash) },
          h('span', { class: 'repo' }, d.repo),
          ' ',
          h('code', null, d.hash.slice(0, 10)),
          ' ',
          d.subject,
        ),
        ' ',
        h('span', { class: 'muted' }, `${d.author} · `, h('time', { datetime: d.date }, d.date.slice(0, 10))),
        ...d.files.map((f) =>
          h(
            'div',
            { class: 'diff-hit-file' },
            h('p', { class: 'diff-hit-path' }, f.path),
            h(
              'pre',
              { class: 'snippet' },
              ...f.lines.map((l) =>
                h(
                  'span',
                  { class: l.kind === '+' ? 'line add' : 'line del' },
                  h('span', { class: 'ln', 'aria-hidden': 'true' }, `${l.kind}${l.line}`),
                  h('code', null, l.text),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

function renderEmpty(query: string, filtered: boolean): Node {
  return h(
    'div',
    { class: 'empty' },
    h('p', null, `No results for “${query}”.`),
    h(
      'ul',
      null,
      h('li', null, 'Use fewer or shorter words, or part of an identifier.'),
      h('li', null, 'Try another mode: lexical matches exact words, semantic matches meaning, symbol matches definitions.'),
      filtered && h('li', null, 'Clear the repository, language or path filter.'),
    ),
  );
}

function renderError(error: ApiError['error']): Node {
  return h(
    'div',
    { class: 'error', role: 'alert' },
    h('p', null, error.message),
    // A query error's hint pictures the query with a caret under the column: kept in a <pre>.
    error.hint ? (error.hint.includes('\n') ? h('pre', { class: 'hint caret' }, error.hint) : h('p', { class: 'hint' }, error.hint)) : null,
  );
}

async function search(): Promise<void> {
  const v = values();
  history.replaceState(null, '', searchHref(v));
  inflight?.abort();
  const mine = ++generation;
  if (!v.q) {
    inflight = null;
    return;
  }
  const controller = new AbortController();
  inflight = controller;
  const qs = new URLSearchParams({ q: v.q });
  if (v.repo) qs.set('repo', v.repo);
  if (v.lang) qs.set('lang', v.lang);
  if (v.path) qs.set('path', v.path);
  if (v.mode) qs.set('mode', v.mode);
  if (v.group) qs.set('group', v.group);
  if (v.limit) qs.set('limit', v.limit);
  section.setAttribute('aria-busy', 'true');
  let next: Node;
  let text = '';
  try {
    const res = await fetch(`/api/search?${qs}`, { signal: controller.signal, headers: { accept: 'application/json' } });
    const body = (await res.json()) as SearchAnswer | ApiError;
    if ('error' in body) next = renderError(body.error);
    else if (body.commits && body.commits.length > 0) {
      next = renderCommits(body.commits);
      text = summaryText(body);
    } else if (body.diffs && body.diffs.length > 0) {
      next = renderDiffs(body.diffs);
      text = summaryText(body);
    } else if (body.results.length === 0) next = renderEmpty(v.q, Boolean(v.repo || v.lang || v.path));
    else {
      next = renderHits(body, v.mode);
      const more = moreHref(v, body.results.length, Number(v.limit) || SEARCH_LIMIT.default);
      if (more) {
        const all = document.createDocumentFragment();
        all.append(next, h('p', { class: 'more' }, h('a', { href: more }, v.group ? 'Show more files' : 'Show more results')));
        next = all;
      }
      text = summaryText(body);
    }
  } catch (error) {
    if (controller.signal.aborted) return;
    next = renderError({ code: 'NETWORK', message: `The search failed: ${(error as Error).message}`, hint: 'Is gitlore still running?' });
  }
  if (mine !== generation) return;
  list.replaceChildren(next);
  summary.textContent = text;
  section.setAttribute('aria-busy', 'false');
  // For tests and the bench: the paint that answered this query.
  document.documentElement.dataset.searched = v.q;
}

function schedule(delay: number): void {
  clearTimeout(timer);
  timer = setTimeout(() => void search(), delay);
}

box.addEventListener('input', () => {
  // Another query starts again at the first page; filters and the grouping keep a larger page.
  const limit = document.getElementById('limit');
  if (limit instanceof HTMLInputElement) limit.value = '';
  schedule(DEBOUNCE_MS);
});
// The paste form posts the search form's current filters, not those the page was served with.
const pasteForm = document.getElementById('paste-form') as HTMLFormElement | null;
pasteForm?.addEventListener('submit', () => {
  const now = values();
  for (const name of ['repo', 'lang', 'path', 'mode'] as const) {
    const field = pasteForm.elements.namedItem(name);
    if (field instanceof HTMLInputElement) field.value = now[name];
  }
});
// Text of several lines (an issue, a stack trace) would lose its lines in the one-line box: it goes to the paste form.
const paste = document.getElementById('paste-text') as HTMLTextAreaElement | null;
box.addEventListener('paste', (event) => {
  const text = event.clipboardData?.getData('text/plain') ?? '';
  if (!paste || !text.includes('\n')) return;
  event.preventDefault();
  paste.value = text;
  paste.closest('details')?.setAttribute('open', '');
  paste.focus();
});
form.addEventListener('change', (event) => {
  if (event.target !== box) schedule(0);
});
form.addEventListener('submit', (event) => {
  event.preventDefault();
  schedule(0);
});

/** The hits the arrow keys move through: not those folded in a closed "more in this file". */
function hits(): HTMLAnchorElement[] {
  return [...list.querySelectorAll<HTMLAnchorElement>('a.hit')].filter((a) => !a.closest('details:not([open])'));
}

function move(step: number): void {
  const all = hits();
  if (all.length === 0) return;
  const at = all.indexOf(document.activeElement as HTMLAnchorElement);
  if (at === 0 && step < 0) {
    box.focus();
    return;
  }
  const next = at === -1 ? (step > 0 ? 0 : all.length - 1) : Math.max(0, Math.min(all.length - 1, at + step));
  all[next]?.focus();
  all[next]?.scrollIntoView({ block: 'nearest' });
}

document.addEventListener('keydown', (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const typing = isTyping(event.target);
  if (event.key === '/' && !typing) {
    event.preventDefault();
    box.focus();
    box.select();
  } else if (event.key === 'ArrowDown' && (event.target === box || !typing)) {
    event.preventDefault();
    move(1);
  } else if (event.key === 'ArrowUp' && !typing) {
    event.preventDefault();
    move(-1);
  } else if ((event.key === 'j' || event.key === 'k') && !typing) {
    event.preventDefault();
    move(event.key === 'j' ? 1 : -1);
  } else if (event.key === 'Escape' && !typing) {
    box.focus();
  }
});
