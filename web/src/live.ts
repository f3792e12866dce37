/**
 * Replaces the element `id` with the same element of `path` as the server renders it now, so a list reads
 * exactly like a fresh load after a change; focus returns to the control with the same `data-<key>` value.
 */
export async function swapLive(path: string, id: string, focusKey?: string): Promise<boolean> {
  const response = await fetch(path, { headers: { accept: 'text/html' } });
  if (!response.ok) return false;
  const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
  const next = doc.getElementById(id);
  const current = document.getElementById(id);
  if (!next || !current) return false;
  const focused = focusKey ? document.activeElement?.getAttribute(`data-${focusKey}`) : null;
  current.replaceWith(document.adoptNode(next));
  if (focusKey && focused) (document.querySelector(`[data-${focusKey}="${CSS.escape(focused)}"]`) as HTMLElement | null)?.focus();
  return true;
}

/** An API error answer as one line: its message and hint. */
export async function errorText(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string; hint?: string } };
    if (body.error?.message) return `${body.error.message}${body.error.hint ? ` ${body.error.hint}` : ''}`;
  } catch {
    // Not JSON: fall through to the status.
  }
  return `The server answered ${response.status}.`;
}
