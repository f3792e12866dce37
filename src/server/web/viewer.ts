import type { Context } from 'hono';
import { createContext as createJsxContext, useContext } from 'hono/jsx';
import type { Me } from '../../core/me.js';

const KEY = 'gitlore.viewer';

/** The signed-in user a page is rendered for; null for the local operator and pages outside the page wrapper. */
const ViewerContext = createJsxContext<Me | null>(null);

/** Set by the page wrapper (webRoutes.tsx) for a signed-in user, before the page's handler runs. */
export function setViewer(c: Context, me: Me): void {
  c.set(KEY as never, me as never);
}

export function viewerOf(c: Context): Me | null {
  return (c.get(KEY as never) as Me | undefined) ?? null;
}

/** Gives every component of a page the viewer (the header reads it), without threading it through each page's props. */
export const ViewerProvider = ViewerContext.Provider;

/** The page's viewer, for a component rendered inside sendPage. */
export function useViewer(): Me | null {
  return useContext(ViewerContext);
}
