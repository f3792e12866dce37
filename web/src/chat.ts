import './page.js';
import { changeHeaders, h } from './dom.js';
import { readEvents } from './sse.js';

interface ApiError {
  error: { code: string; message: string; hint?: string };
}

interface StepEvent {
  state: 'started' | 'finished';
  tool: string;
  input: unknown;
  ok?: boolean;
  ms?: number;
}

const root = document.documentElement;
let inflight: AbortController | null = null;

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T | null;

function problem(error: ApiError['error']): HTMLElement {
  return h(
    'div',
    { class: 'error', role: 'alert' },
    h('p', null, error.message),
    error.hint ? h('p', { class: 'hint' }, error.hint) : null,
  );
}

function setStatus(text: string): void {
  const status = byId('ask-status');
  if (status) status.textContent = text;
}

/** The turn being answered, drawn as the events arrive: steps as a live list, the answer as plain text. */
function streamingTurn(question: string) {
  const steps = h('ol', null);
  const summary = h('summary', null, 'Tool steps');
  const answer = h('div', { class: 'answer streaming-text', 'aria-live': 'polite', 'aria-label': 'Answer' });
  // Shown with the first step: many answers need none.
  const details = h('details', { class: 'steps', open: '', hidden: '' }, summary, steps);
  const article = h('article', { class: 'turn streaming' }, h('h2', { class: 'question' }, question), details, answer);
  let count = 0;
  return {
    article,
    answer,
    step(event: StepEvent): void {
      const input = JSON.stringify(event.input ?? {});
      if (event.state === 'started') {
        count++;
        details.hidden = false;
        summary.textContent = `Tool steps (${count})`;
        const item = h(
          'li',
          { class: 'step running', 'data-key': `${event.tool}\0${input}` },
          h('code', { class: 'tool' }, event.tool),
          ' ',
          h('code', { class: 'input' }, input.length > 400 ? `${input.slice(0, 399)}…` : input),
          ' ',
          h('span', { class: 'step-state' }, 'running…'),
        );
        steps.append(item);
        return;
      }
      const key = `${event.tool}\0${input}`;
      const item = [...steps.querySelectorAll<HTMLElement>('li.running')].find((li) => li.dataset.key === key);
      if (!item) return;
      item.className = event.ok === false ? 'step failed' : 'step';
      const state = item.querySelector('.step-state') as HTMLElement;
      state.textContent = `${event.ok === false ? 'failed' : 'ok'} · ${event.ms ?? 0} ms`;
    },
    fail(error: ApiError['error']): void {
      article.classList.remove('streaming');
      article.append(problem(error));
    },
  };
}

/**
 * The finished thread as the server renders it (`GET /chat/:id`): the final answer goes through the same
 * renderMarkdown as on a reload, so the browser never turns model text into markup itself. DOMParser runs no
 * script, and the page's CSP would refuse one anyway.
 */
async function showThread(id: string): Promise<boolean> {
  const res = await fetch(`/chat/${encodeURIComponent(id)}`, { headers: { accept: 'text/html' } });
  if (!res.ok) return false;
  const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
  const next = doc.querySelector('main');
  const main = document.querySelector('main');
  if (!next || !main) return false;
  main.replaceChildren(...[...next.childNodes].map((n) => document.importNode(n, true)));
  document.title = doc.title;
  fixShareLink();
  byId<HTMLTextAreaElement>('question')?.focus({ preventScroll: true });
  return true;
}

function busy(form: HTMLFormElement, on: boolean): void {
  const ask = form.querySelector<HTMLButtonElement>('#ask');
  const stop = form.querySelector<HTMLButtonElement>('#stop');
  const box = form.querySelector<HTMLTextAreaElement>('#question');
  if (ask) ask.disabled = on;
  if (box) box.readOnly = on;
  if (stop) stop.hidden = !on;
  // Focus follows the button that can act now: Stop while answering, the question box after.
  if (on) stop?.focus();
  else box?.focus({ preventScroll: true });
}

async function ask(form: HTMLFormElement): Promise<void> {
  const box = form.querySelector<HTMLTextAreaElement>('#question');
  const question = box?.value.trim() ?? '';
  if (!question || inflight) return;
  const repo = String(new FormData(form).get('repo') ?? '');
  const threadId = form.dataset.thread || undefined;
  const turn = streamingTurn(question);
  byId('turns')?.append(turn.article);
  const controller = new AbortController();
  inflight = controller;
  busy(form, true);
  setStatus('Answering…');
  root.dataset.chat = 'streaming';
  let doneId: string | null = null;
  try {
    const res = await fetch('/api/ask', {
      method: 'POST',
      headers: changeHeaders('text/event-stream'),
      body: JSON.stringify({ question, ...(repo ? { repos: [repo] } : {}), ...(threadId ? { threadId } : {}) }),
      signal: controller.signal,
    });
    if (!res.ok || !res.body || !(res.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
      const body = (await res.json().catch(() => null)) as ApiError | null;
      throw body?.error ?? { code: 'HTTP', message: `The server answered ${res.status}.` };
    }
    if (box) box.value = '';
    for await (const { event, data } of readEvents(res.body)) {
      const payload = JSON.parse(data);
      if (event === 'text') turn.answer.append(String(payload.delta ?? ''));
      else if (event === 'step') turn.step(payload as StepEvent);
      else if (event === 'error') throw (payload as ApiError).error;
      else if (event === 'done') doneId = String(payload.threadId);
    }
    if (!doneId) throw { code: 'NETWORK', message: 'The answer stopped before it was complete.', hint: 'Is gitlore still running?' };
  } catch (thrown) {
    inflight = null;
    busy(form, false);
    if (box && !box.value) box.value = question;
    if (controller.signal.aborted) {
      turn.article.classList.remove('streaming');
      turn.article.classList.add('stopped');
      setStatus('Stopped. Nothing was saved.');
      root.dataset.chat = 'stopped';
      return;
    }
    const error =
      thrown && typeof thrown === 'object' && 'message' in thrown
        ? (thrown as ApiError['error'])
        : { code: 'NETWORK', message: String(thrown) };
    turn.fail(error);
    setStatus('The question failed.');
    root.dataset.chat = 'error';
    return;
  }
  inflight = null;
  if (location.pathname !== `/chat/${doneId}`) history.replaceState(null, '', `/chat/${doneId}`);
  if (!(await showThread(doneId).catch(() => false))) {
    turn.article.classList.remove('streaming');
    busy(form, false);
    setStatus('Answered. Reload the page to see it formatted.');
  }
  root.dataset.chat = 'done';
}

/** The share link as the browser reached the server (the page may sit behind a proxy). */
function fixShareLink(): void {
  const link = byId<HTMLInputElement>('share-link');
  if (link?.value.startsWith('/')) link.value = `${location.origin}${link.value}`;
}

async function setShared(id: string, shared: boolean): Promise<void> {
  const status = byId('share-status');
  const res = await fetch(`/api/chats/${encodeURIComponent(id)}/share`, {
    method: 'POST',
    headers: changeHeaders(),
    body: JSON.stringify({ shared }),
  });
  const body = (await res.json()) as { url?: string } & Partial<ApiError>;
  if (body.error) {
    byId('share-panel')?.removeAttribute('hidden');
    if (status) status.textContent = `${body.error.message} ${body.error.hint ?? ''}`;
    return;
  }
  const panel = byId('share-panel');
  const share = byId<HTMLButtonElement>('share');
  if (panel) panel.hidden = !shared;
  if (share) share.hidden = shared;
  if (status) status.textContent = shared ? 'Shared: anyone with the link can read this thread.' : '';
  (shared ? byId('share-link') : share)?.focus();
  root.dataset.shared = String(shared);
}

async function copyLink(): Promise<void> {
  const link = byId<HTMLInputElement>('share-link');
  const status = byId('share-status');
  if (!link || !status) return;
  try {
    await navigator.clipboard.writeText(link.value);
    status.textContent = 'Link copied.';
  } catch {
    link.select();
    status.textContent = 'Press Ctrl+C (⌘C) to copy the selected link.';
  }
}

async function remove(id: string): Promise<void> {
  if (!confirm('Delete this thread and all its answers? This cannot be undone.')) return;
  const res = await fetch(`/api/chats/${encodeURIComponent(id)}`, { method: 'DELETE', headers: changeHeaders('application/json', false) });
  if (res.ok) {
    location.assign('/chat');
    return;
  }
  const body = (await res.json().catch(() => null)) as ApiError | null;
  document.querySelector('.chat-head')?.append(problem(body?.error ?? { code: 'HTTP', message: `The server answered ${res.status}.` }));
}

// Delegated: the thread page's content is replaced once an answer is complete.
document.addEventListener('submit', (event) => {
  const form = event.target as HTMLFormElement;
  if (form.id !== 'ask-form') return;
  event.preventDefault();
  void ask(form);
});

document.addEventListener('keydown', (event) => {
  const target = event.target as HTMLElement;
  if (target.id !== 'question' || event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
  event.preventDefault();
  (target.closest('form') as HTMLFormElement | null)?.requestSubmit();
});

document.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest('button');
  if (!button) return;
  const id = button.dataset.thread ?? '';
  if (button.id === 'stop') inflight?.abort();
  else if (button.id === 'share') void setShared(id, true);
  else if (button.id === 'unshare') void setShared(id, false);
  else if (button.id === 'copy') void copyLink();
  else if (button.id === 'delete') void remove(id);
});

fixShareLink();
root.dataset.ready = 'chat';
