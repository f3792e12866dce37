import type { App } from '../../src/core/app.js';
import { createContext } from '../../src/core/context.js';
import { indexRepos } from '../../src/core/indexRepos.js';
import { syncRepos } from '../../src/core/syncRepos.js';
import { commitFiles } from '../helpers/git.js';
import { type Fixture, makeFixture, openTestApp } from '../mcp/fixture.js';

/** Markup and links that must stay text: rendered by renderMarkdown, shown in the tree view of docs/. */
export const HOSTILE_README = [
  '# Docs <script>window.__pwned = "script"</script>',
  '',
  '<img src=x onerror="window.__pwned = \'onerror\'">',
  '',
  '[click me](javascript:window.__pwned="link") <a href="javascript:window.__pwned=1">raw</a>',
  '',
  '<iframe src="https://evil.example/"></iframe> <svg onload="window.__pwned=\'svg\'"></svg>',
  '',
  '![tracker](https://evil.example/pixel.png)',
  '',
  'See the [guide](guide.md).',
  '',
].join('\n');

/** A source file whose text looks like markup; the highlighter must show it as text. */
export const HOSTILE_CODE = [
  '// </span></code><img src=x onerror="window.__pwned=\'code\'">',
  'export const html = "<script>window.__pwned = \'string\'</script>";',
  '',
].join('\n');

/** Lines of src/big.ts, and the line where `needleFunction` starts (2 + 5k: the generated functions are 5 lines from line 2). */
export const BIG_LINES = 3000;
export const NEEDLE_LINE = 2502;

function bigFile(): string {
  const lines: string[] = ['// A generated file of 3,000 lines for the file view.'];
  let n = 0;
  while (lines.length < BIG_LINES) {
    if (lines.length + 1 === NEEDLE_LINE) {
      lines.push('export function needleFunction(haystack: string[]): number {', '  return haystack.indexOf("needle");', '}');
      continue;
    }
    n++;
    lines.push(
      `/** Adds ${n} to a value. */`,
      `export function add${n}(value: number): number {`,
      `  const text = \`value \${value} + ${n}\`; // comment ${n}`,
      `  return text.length > 0 ? value + ${n} : 0;`,
      '}',
    );
  }
  return `${lines.slice(0, BIG_LINES).join('\n')}\n`;
}

export interface WebFixture extends Fixture {
  app: App;
}

/**
 * The widgets fixture plus docs/README.md (hostile), src/hostile.ts and a 3,000-line src/big.ts, synced and indexed;
 * the app configured by `env` (nothing but the data dir and no embeddings when empty).
 */
export async function makeWebFixture(env: Record<string, string> = {}): Promise<WebFixture> {
  const fixture = await makeFixture();
  commitFiles(
    fixture.originDir,
    { 'docs/README.md': HOSTILE_README, 'docs/guide.md': '# Guide\n', 'src/hostile.ts': HOSTILE_CODE, 'src/big.ts': bigFile() },
    'add docs and big file',
  );
  const app = await openTestApp(fixture.dataDir, fixture.root, env);
  await syncRepos({ names: ['widgets'] }, createContext(app));
  await indexRepos({ skipEmbeddings: true }, createContext(app));
  return { ...fixture, app };
}
