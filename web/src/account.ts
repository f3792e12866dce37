import './page.js';
import { changeHeaders } from './dom.js';
import { errorText, swapLive } from './live.js';

/**
 * The account page's island: create a token (its secret and MCP settings shown once, with copy buttons), revoke
 * one, refresh permissions, sign out here or everywhere. Every change is a same-origin JSON fetch with the CSRF header.
 */

interface CreatedToken {
  name: string;
  token: string;
  mcp: { url: string; json: string; command: string };
}

const message = document.getElementById('account-message');
const form = document.getElementById('token-form') as HTMLFormElement | null;

function say(text: string): void {
  if (message) message.textContent = text;
}

function field(id: string): HTMLInputElement | HTMLTextAreaElement {
  return document.getElementById(id) as HTMLInputElement | HTMLTextAreaElement;
}

async function createToken(): Promise<void> {
  if (!form) return;
  const name = field('token-name').value.trim();
  const scope = (document.getElementById('token-scope') as HTMLSelectElement).value;
  const submit = form.querySelector('button[type="submit"]') as HTMLButtonElement;
  submit.disabled = true;
  try {
    const response = await fetch('/api/tokens', {
      method: 'POST',
      headers: changeHeaders(),
      body: JSON.stringify(scope ? { name, scopes: [scope] } : { name }),
    });
    if (!response.ok) {
      say(`Token not created: ${await errorText(response)}`);
      return;
    }
    const created = (await response.json()) as CreatedToken;
    (document.getElementById('created-name') as HTMLElement).textContent = created.name;
    field('created-secret').value = created.token;
    field('created-json').value = created.mcp.json;
    field('created-command').value = created.mcp.command;
    const panel = document.getElementById('token-created') as HTMLElement;
    panel.hidden = false;
    panel.focus();
    form.reset();
    say(`Token ${created.name} created. Copy it now: it is not shown again.`);
    await swapLive('/account', 'tokens-live');
  } catch {
    say('Token not created: the server did not answer.');
  } finally {
    submit.disabled = false;
  }
}

async function revoke(button: HTMLButtonElement): Promise<void> {
  const id = button.dataset.revoke ?? '';
  button.disabled = true;
  try {
    const response = await fetch(`/api/tokens/${encodeURIComponent(id)}`, {
      method: 'DELETE',
      headers: changeHeaders('application/json', false),
    });
    if (!response.ok) {
      say(`Not revoked: ${await errorText(response)}`);
      button.disabled = false;
      return;
    }
    const name = button.closest('tr')?.querySelector('th')?.textContent ?? id;
    await swapLive('/account', 'tokens-live');
    (document.getElementById('tokens-heading') as HTMLElement | null)?.focus();
    say(`Token ${name} revoked.`);
  } catch {
    say('Not revoked: the server did not answer.');
    button.disabled = false;
  }
}

async function copy(button: HTMLButtonElement): Promise<void> {
  const target = field(button.dataset.copy ?? '');
  try {
    await navigator.clipboard.writeText(target.value);
    say('Copied.');
  } catch {
    target.select();
    say('Selected: press Ctrl+C (⌘C) to copy.');
  }
}

async function refreshPermissions(button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  say('Asking GitHub…');
  try {
    const response = await fetch('/api/me/permissions/sync', { method: 'POST', headers: changeHeaders(), body: '{}' });
    if (!response.ok) {
      say(`Permissions not refreshed: ${await errorText(response)}`);
      return;
    }
    const answer = (await response.json()) as { status?: string; repoCount?: number };
    say(
      answer.repoCount === undefined
        ? 'Permissions refreshed.'
        : `Permissions refreshed (${answer.status ?? 'ok'}): ${answer.repoCount} private repositories readable.`,
    );
  } catch {
    say('Permissions not refreshed: the server did not answer.');
  } finally {
    button.disabled = false;
  }
}

async function signOut(everywhere: boolean): Promise<void> {
  try {
    const response = await fetch(everywhere ? '/auth/logout-everywhere' : '/auth/logout', {
      method: 'POST',
      headers: changeHeaders(),
      body: '{}',
    });
    if (!response.ok) {
      say(`Not signed out: ${await errorText(response)}`);
      return;
    }
    location.assign('/login');
  } catch {
    say('Not signed out: the server did not answer.');
  }
}

if (form) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (form.reportValidity()) void createToken();
  });
  document.addEventListener('click', (event) => {
    const button = (event.target as Element | null)?.closest?.('button') as HTMLButtonElement | null;
    if (!button || button.disabled) return;
    if (button.dataset.revoke) void revoke(button);
    else if (button.dataset.copy) void copy(button);
    else if (button.id === 'refresh-permissions') void refreshPermissions(button);
    else if (button.id === 'sign-out') void signOut(false);
    else if (button.id === 'sign-out-everywhere') void signOut(true);
  });
  document.documentElement.dataset.ready = 'account';
}
