import { posix } from 'node:path';
import type { RendererRule as RenderRule } from 'markdown-it';
import MarkdownIt from 'markdown-it';
import { blobHref, encodePath } from '../../shared/searchView.js';

/** Where relative links and images of a document point: the repository and the folder the document is in. */
export interface MarkdownBase {
  repo: string;
  dir: string;
}

/** Only these leave the page; relative links stay inside gitlore. Everything else (javascript:, data:, vbscript:…) is dropped. */
const SAFE_SCHEME = /^(https?:|mailto:)/i;
const ANY_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
/**
 * Documents larger than this are shown as text: rendering runs on the event loop, ~9 ms for the 38 KB of the six
 * dev repositories' READMEs and ~74 ms for 512 KB on the 2-core box; 128 KB keeps it near 20 ms.
 */
export const MAX_MARKDOWN_BYTES = 128 * 1024;

function resolveHref(href: string, base: MarkdownBase | undefined): string | null {
  const url = href.trim();
  if (url.startsWith('#')) return url;
  if (SAFE_SCHEME.test(url)) return url;
  if (ANY_SCHEME.test(url) || url.startsWith('//')) return null;
  if (!base) return null;
  const [pathPart = '', hash = ''] = url.split('#', 2);
  const path = pathPart.startsWith('/') ? pathPart.slice(1) : posix.join(base.dir, pathPart);
  const normalized = posix.normalize(path).replace(/^(\.\/)+/, '');
  if (normalized === '.' || normalized === '' || normalized.startsWith('..')) return `/r/${encodeURIComponent(base.repo)}`;
  const kind = pathPart.endsWith('/') ? 'tree' : 'blob';
  const target =
    kind === 'tree'
      ? `/r/${encodeURIComponent(base.repo)}/tree/${encodePath(normalized.replace(/\/$/, ''))}`
      : blobHref(base.repo, normalized);
  return hash ? `${target}#${encodeURIComponent(hash)}` : target;
}

function createRenderer(): InstanceType<typeof MarkdownIt> {
  // html: false escapes any raw HTML in the source (script tags, onerror attributes) as text.
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
  // Schemes are judged here; where a relative link points is decided per document in link_open.
  md.validateLink = (url) => resolveHref(url, { repo: '', dir: '' }) !== null;
  md.normalizeLink = (url) => url;
  const link: RenderRule = (tokens, idx, options, env: RenderEnv | undefined, self) => {
    const token = tokens[idx]!;
    const href = resolveHref(String(token.attrGet('href') ?? ''), env?.base);
    if (href === null) token.attrs = [];
    else {
      token.attrSet('href', href);
      if (SAFE_SCHEME.test(href)) token.attrSet('rel', 'nofollow noopener noreferrer');
    }
    return self.renderToken(tokens, idx, options);
  };
  md.renderer.rules.link_open = link;
  // No <img>: a README's badge would make the browser fetch from another host. The image becomes a link to it.
  md.renderer.rules.image = (tokens, idx, options, env: RenderEnv | undefined, self) => {
    const token = tokens[idx]!;
    const alt = self.renderInlineAsText(token.children ?? [], options, env ?? {}) || 'image';
    const href = resolveHref(String(token.attrGet('src') ?? ''), env?.base);
    const text = md.utils.escapeHtml(`[${alt}]`);
    // A badge is usually an image inside a link: a link in a link would be invalid, so the text alone goes in.
    const depth = tokens.slice(0, idx).reduce((d, t) => d + (t.type === 'link_open' ? 1 : t.type === 'link_close' ? -1 : 0), 0);
    return href === null || depth > 0 ? text : `<a href="${md.utils.escapeHtml(href)}" rel="nofollow noopener noreferrer">${text}</a>`;
  };
  return md;
}

interface RenderEnv {
  base?: MarkdownBase;
  [key: string | symbol]: unknown;
}

const renderer = createRenderer();

/**
 * Markdown to HTML that carries no markup of its own: raw HTML is escaped, links are http(s), mailto,
 * fragments or resolved inside the repository, and images become links. The one renderer for READMEs
 * and model answers.
 */
export function renderMarkdown(source: string, base?: MarkdownBase): string {
  const env: RenderEnv = { base };
  return renderer.render(source, env);
}
