/**
 * Replaces the element `id` with the same element of `path` as the server renders it now, so a list reads
 * exactly like a fresh load after a change; `focus` names the control (`data-<key>="<value>"`) to focus in the new one
 * (the caller's, read before it disabled the control, which loses focus then).
 */
export async function swapLive(path: string, id: string, focus?: { key: string; value: string }): Promise<boolean> {
  const response = await fetch(path, { headers: { accept: 'text/html' } });
  if (!response.ok) return false;
  const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
  const next = doc.getElementById(id);
  const current = document.getElementById(id);
  if (!next || !current) return false;
  current.replaceWith(document.adoptNode(next));
  if (focus) (document.querySelector(`[data-${focus.key}="${CSS.escape(focus.value)}"]`) as HTMLElement | null)?.focus();
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
