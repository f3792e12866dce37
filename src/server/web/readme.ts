import type { RequestContext } from '../../core/context.js';
import { getFile } from '../../core/files.js';
import type { TreeListing } from '../../core/tree.js';
import { MAX_MARKDOWN_BYTES, renderMarkdown } from './markdown.js';

/** A folder's README as a page shows it: rendered markdown (safe HTML from renderMarkdown) or plain text. */
export interface Readme {
  name: string;
  html?: string;
  text?: string;
}

const README = /^readme(\.(md|markdown|txt|rst))?$/i;
/** A README larger than this is not shown under its folder. */
const MAX_README_BYTES = 1024 * 1024;

/**
 * The README of a listed folder (the tree page and the repository overview), or null when it has none or it is
 * too large. Markdown goes through renderMarkdown (raw HTML escaped, links resolved inside gitlore); the rest is text.
 */
export async function loadReadme(tree: TreeListing, ctx: RequestContext): Promise<Readme | null> {
  const entry = tree.entries.find((e) => e.type === 'file' && README.test(e.name));
  if (!entry || (entry.size ?? 0) > MAX_README_BYTES) return null;
  const file = await getFile({ repo: tree.repo, path: entry.path, endLine: 100_000 }, ctx);
  return /\.(md|markdown)$/i.test(entry.name) && (entry.size ?? 0) <= MAX_MARKDOWN_BYTES
    ? { name: entry.name, html: renderMarkdown(file.content, { repo: tree.repo, dir: tree.path }) }
    : { name: entry.name, text: file.content };
}
