import { jobTitle } from '../../src/shared/statusView.js';
import './page.js';
import { changeHeaders, h } from './dom.js';

/**
 * The status page's island. Sync buttons POST /api/sync as same-origin JSON (the API refuses a foreign Origin and
 * any body that is not JSON, so another site cannot start a sync). While a job runs or waits, GET /api/sync/status
 * is polled every POLL_MS; whenever its answer changes, the page's live part is fetched again as the server renders
 * it and swapped in, so the table reads exactly like a fresh load. Polling stops when nothing runs or waits.
 */

interface SyncStatus {
  jobs: { running: unknown; queued: unknown[] } | null;
  repos: unknown[];
}

interface QueuedJob {
  id: number;
  scope: string;
  reason: string;
  state: string;
}

const POLL_MS = 1500;
const live = document.getElementById('status-live') as HTMLElement | null;
const message = document.getElementById('status-message') as HTMLElement | null;
let timer: ReturnType<typeof setTimeout> | null = null;
let lastAnswer = '';

/** The Sync buttons come hidden (they need this script); shown once it runs, and again after each refresh. */
function showButtons(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-sync][hidden]')) button.hidden = false;
}

function say(text: string): void {
  if (message) message.textContent = text;
}

/** Replaces the live part with the server's current rendering, keeping focus on the same button. */
async function refresh(): Promise<boolean> {
  const response = await fetch('/status', { headers: { accept: 'text/html' } });
  if (!response.ok) return false;
  const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
  const next = doc.getElementById('status-live');
  const current = document.getElementById('status-live');
  if (!next || !current) return false;
  const focused = document.activeElement?.getAttribute('data-sync');
  current.replaceWith(document.adoptNode(next));
  showButtons();
  if (focused !== null && focused !== undefined) {
    (document.querySelector(`button[data-sync="${CSS.escape(focused)}"]`) as HTMLElement | null)?.focus();
  }
  return next.dataset.active === 'true';
}

async function poll(): Promise<void> {
  timer = null;
  let active = true;
  try {
    const response = await fetch('/api/sync/status', { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`status ${response.status}`);
    const status = (await response.json()) as SyncStatus;
    const answer = JSON.stringify(status);
    active = !!status.jobs && (status.jobs.running !== null || status.jobs.queued.length > 0);
    if (answer !== lastAnswer) {
      lastAnswer = answer;
      await refresh();
    }
  } catch {
    say('Could not refresh the status; reload the page to try again.');
    return;
  }
  document.documentElement.dataset.polling = String(active);
  if (active) timer = setTimeout(poll, POLL_MS);
  else say('All jobs finished.');
}

function startPolling(): void {
  document.documentElement.dataset.polling = 'true';
  if (timer === null) timer = setTimeout(poll, POLL_MS);
}

/** Shows the job the server just queued until the next poll brings the server's own rendering. */
function showQueued(job: QueuedJob): void {
  const list =
    document.getElementById('jobs-active') ??
    (() => {
      const ul = h('ul', { class: 'jobs', id: 'jobs-active' });
      document.getElementById('jobs-idle')?.replaceWith(ul);
      return ul;
    })();
  if (list.querySelector(`[data-job="${job.id}"]`)) return;
  list.append(
    h(
      'li',
      { class: 'job', 'data-job': String(job.id), 'data-state': job.state },
      h('span', { class: 'badge tone-busy' }, job.state),
      ' ',
      h('strong', null, jobTitle(job)),
      ' ',
      h('span', { class: 'muted' }, `#${job.id}`),
    ),
  );
}

async function sync(button: HTMLButtonElement): Promise<void> {
  const repo = button.dataset.sync ?? '';
  button.disabled = true;
  say(repo ? `Asking to sync ${repo}…` : 'Asking to sync every repository…');
  try {
    const response = await fetch('/api/sync', {
      method: 'POST',
      headers: changeHeaders(),
      body: JSON.stringify(repo ? { repo } : {}),
    });
    const answer = (await response.json()) as { job?: QueuedJob; error?: { message: string; hint?: string } };
    if (!response.ok || !answer.job) {
      say(`Sync not started: ${answer.error?.message ?? `HTTP ${response.status}`}${answer.error?.hint ? ` ${answer.error.hint}` : ''}`);
      return;
    }
    say(`${jobTitle(answer.job)}: job #${answer.job.id} ${answer.job.state}.`);
    showQueued(answer.job);
    startPolling();
  } catch {
    say('Sync not started: the server did not answer.');
  } finally {
    button.disabled = false;
  }
}

if (live) {
  showButtons();
  document.addEventListener('click', (event) => {
    const button = (event.target as Element | null)?.closest?.('button[data-sync]') as HTMLButtonElement | null;
    if (button && !button.disabled) void sync(button);
  });
  if (live.dataset.active === 'true') startPolling();
  document.documentElement.dataset.ready = 'status';
}
