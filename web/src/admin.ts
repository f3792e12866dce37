import './page.js';
import { changeHeaders } from './dom.js';
import { errorText, swapLive } from './live.js';

/**
 * The admin page's island: a role select or the Disable/Enable button POSTs /api/users/:id, then the users table
 * is swapped in as the server renders it (focus kept on the same control). The audit filters are a plain GET form.
 */

const message = document.getElementById('admin-message');

function say(text: string): void {
  if (message) message.textContent = text;
}

async function change(
  control: HTMLSelectElement | HTMLButtonElement,
  id: string,
  body: Record<string, unknown>,
  done: string,
): Promise<void> {
  const focus = { key: control instanceof HTMLSelectElement ? 'role' : 'disable', value: id };
  control.disabled = true;
  try {
    const response = await fetch(`/api/users/${encodeURIComponent(id)}`, {
      method: 'POST',
      headers: changeHeaders(),
      body: JSON.stringify(body),
    });
    say(response.ok ? done : `Not changed: ${await errorText(response)}`);
  } catch {
    say('Not changed: the server did not answer.');
  }
  // Either way the table shows what the server now holds (a refused role change goes back to the old one).
  control.disabled = false;
  await swapLive(`/admin${location.search}`, 'users-live', focus);
}

const users = document.getElementById('users-live');
if (users) {
  document.addEventListener('change', (event) => {
    const select = event.target as HTMLSelectElement;
    const id = select.dataset?.role;
    if (id) void change(select, id, { role: select.value }, `${select.getAttribute('aria-label') ?? 'Role'} set to ${select.value}.`);
  });
  document.addEventListener('click', (event) => {
    const button = (event.target as Element | null)?.closest?.('button[data-disable]') as HTMLButtonElement | null;
    if (!button || button.disabled) return;
    const disable = button.dataset.disabled !== 'true';
    const label = button.getAttribute('aria-label') ?? '';
    void change(
      button,
      button.dataset.disable as string,
      { disabled: disable },
      `${label.replace(/^(Enable|Disable) /, '')} ${disable ? 'disabled' : 'enabled'}.`,
    );
  });
  document.documentElement.dataset.ready = 'admin';
}
