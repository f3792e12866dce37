import { raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { FileDiff } from '../../core/commitDiff.js';
import { escapeHtml } from './escapeHtml.js';

const MARKS = { context: ' ', add: '+', del: '-', note: '' } as const;

/**
 * One file's hunks as rows: old and new line numbers, a +/− marker (so a change does not rest on colour) and
 * the escaped text. Built as one string rather than JSX, as the file view's lines are: a 20,000-line diff stays fast.
 */
export function diffLinesHtml(file: Pick<FileDiff, 'hunks'>): HtmlEscapedString {
  const parts: string[] = ['<div class="diff-lines">'];
  for (const hunk of file.hunks) {
    const header = `@@ -${hunk.oldStart},${hunk.oldCount} +${hunk.newStart},${hunk.newCount} @@${hunk.section ? ` ${hunk.section}` : ''}`;
    parts.push(`<div class="dl dh"><span class="dln"></span><span class="dln"></span><span class="dc">${escapeHtml(header)}</span></div>`);
    for (const line of hunk.lines) {
      if (line.kind === 'note') {
        parts.push(
          `<div class="dl dn"><span class="dln"></span><span class="dln"></span><span class="dc">${escapeHtml(line.text)}</span></div>`,
        );
        continue;
      }
      parts.push(
        `<div class="dl d-${line.kind}"><span class="dln">${line.oldLine ?? ''}</span><span class="dln">${line.newLine ?? ''}</span><span class="dc"><span class="dm">${MARKS[line.kind]}</span>${escapeHtml(line.text)}</span></div>`,
      );
    }
  }
  parts.push('</div>');
  return raw(parts.join(''));
}
