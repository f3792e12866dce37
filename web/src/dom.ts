/** Builds elements with text children only: text is set as text, never parsed as HTML. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> | null,
  ...children: (Node | string | null | false)[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== false) el.append(child);
  return el;
}

/** True when a key press belongs to a text field, so global shortcuts leave it alone. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}

/** The session's CSRF token, from the cookie the server sets at sign-in; '' when not signed in. */
function csrfToken(): string {
  const match = /(?:^|;\s*)gitlore_csrf=([^;]+)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1] as string) : '';
}

/** Headers for a request that changes something: a JSON body, what to accept, and the CSRF token when signed in. */
export function changeHeaders(accept = 'application/json', json = true): Record<string, string> {
  const token = csrfToken();
  return { accept, ...(json ? { 'content-type': 'application/json' } : {}), ...(token ? { 'x-csrf-token': token } : {}) };
}
