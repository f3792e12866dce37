import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.js';

const HOSTILE = [
  '# Hello <script>alert(1)</script>',
  '',
  '<img src=x onerror="alert(2)">',
  '',
  '<a href="javascript:alert(3)">raw link</a> [md link](javascript:alert(4)) [data](data:text/html;base64,PHNjcmlwdD4=)',
  '[vb](vbscript:msgbox(5)) [proto](//evil.example/x) <svg onload=alert(6)>',
  '',
  '![badge](https://evil.example/pixel.png) ![local](docs/shot.png)',
  '',
  '[docs](docs/guide.md) [up](../../etc/passwd) [site](https://example.com/a?b=1) [anchor](#usage) <https://example.com/auto>',
  '',
  '```html',
  '<script>alert(7)</script>',
  '```',
].join('\n');

describe('renderMarkdown', () => {
  const html = renderMarkdown(HOSTILE, { repo: 'widgets', dir: 'pkg' });

  it('escapes raw HTML: no tag or event attribute from the source survives as markup', () => {
    const tags = [...html.matchAll(/<\/?([a-z0-9]+)([^>]*)>/gi)];
    const names = new Set(tags.map((t) => (t[1] as string).toLowerCase()));
    expect([...names].filter((n) => !['h1', 'p', 'a', 'pre', 'code'].includes(n))).toEqual([]);
    const attributes = tags.flatMap((t) => [...(t[2] as string).matchAll(/\s([\w-]+)=/g)].map((m) => m[1]));
    expect([...new Set(attributes)].sort()).toEqual(['class', 'href', 'rel']);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('keeps only http(s), mailto, fragment and in-repository links', () => {
    for (const bad of ['javascript:', 'vbscript:', 'data:', '//evil.example']) expect(html).not.toContain(`href="${bad}`);
    expect(html).toContain('href="/r/widgets/blob/pkg/docs/guide.md"');
    expect(html).toContain('href="/r/widgets"'); // ../../etc/passwd stays inside the repository
    expect(html).toContain('href="https://example.com/a?b=1" rel="nofollow noopener noreferrer"');
    expect(html).toContain('href="#usage"');
    expect(html).toContain('href="https://example.com/auto"');
  });

  it('turns images into links, so a README never makes the browser fetch from another host', () => {
    expect(html).toContain('<a href="https://evil.example/pixel.png" rel="nofollow noopener noreferrer">[badge]</a>');
    expect(html).toContain('<a href="/r/widgets/blob/pkg/docs/shot.png" rel="nofollow noopener noreferrer">[local]</a>');
  });
});
