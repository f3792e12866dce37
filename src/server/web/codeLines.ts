import { raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { escapeHtml } from './escapeHtml.js';

/** Lines per block; each block is laid out and painted only near the viewport (`content-visibility: auto`). */
export const LINES_PER_BLOCK = 100;

/**
 * The numbered lines of a file as markup, every line's text escaped. Built as one string rather than JSX:
 * 3,000 lines took ~40 ms of the event loop as JSX nodes on the 2-core box, a few ms this way. `gutter`: markup put
 * before each line's number (the blame column), already escaped.
 */
export function codeLinesHtml(lines: readonly string[], gutter?: readonly string[]): HtmlEscapedString {
  const parts: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (i % LINES_PER_BLOCK === 0) parts.push(i === 0 ? '<div class="block">' : '</div><div class="block">');
    const n = i + 1;
    parts.push(
      `<div class="line" id="L${n}">${gutter?.[i] ?? ''}<a class="ln" href="#L${n}">${n}</a><span class="lc">${escapeHtml(lines[i] as string)}</span></div>`,
    );
  }
  if (lines.length > 0) parts.push('</div>');
  return raw(parts.join(''));
}
