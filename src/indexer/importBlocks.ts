import type { LanguageId } from '../shared/languages.js';

/**
 * The line that starts an import (or a package/namespace header, which travels with them) in each language:
 * `import`/`from … import`, `require(…)`, `export … from`, `use`, `#include`, `using …;`, `package`.
 */
const JS_IMPORT =
  /^\s*(import\s*(?:type\s+)?[\w${*'"]|export\s*(?:type\s+)?(?:\*|\{)[^;]*(?:\bfrom\b|$)|(?:const|let|var)\s+[^=]+=\s*require\s*\(|require\s*\(|['"]use strict['"])/;
const IMPORT_START: Partial<Record<LanguageId, RegExp>> = {
  python: /^\s*(import\s+[\w.]|from\s+[\w.]+\s+import\b|__all__\s*[+]?=|if\s+(typing\.)?TYPE_CHECKING\s*:)/,
  typescript: JS_IMPORT,
  tsx: JS_IMPORT,
  javascript: JS_IMPORT,
  go: /^\s*(import\b|package\s+\w)/,
  java: /^\s*(import|package)\s+[\w.]/,
  kotlin: /^\s*(import|package)\s+[\w.`]/,
  scala: /^\s*(import|package)\s+[\w.]/,
  rust: /^\s*(pub(\([^)]*\))?\s+)?(use\s+[\w:{]|extern\s+crate\b|mod\s+\w+\s*;)/,
  c: /^\s*#\s*(include|import|pragma\s+once)\b/,
  cpp: /^\s*(#\s*(include|import|pragma\s+once)\b|import\s+[\w<"]|using\s+namespace\s+[\w:]+\s*;)/,
  csharp: /^\s*((global\s+)?using\s+(static\s+)?[\w.]+(\s*=\s*[\w.<>]+)?\s*;|namespace\s+[\w.]+\s*;)/,
  php: /^\s*(<\?php|use\s+[\w\\]|namespace\s+[\w\\]+\s*;|(require|include)(_once)?\b)/,
  ruby: /^\s*(require|require_relative|load|autoload)\b/,
  swift: /^\s*(@testable\s+)?import\s+\w/,
  bash: /^\s*(source|\.)\s+\S/,
};

/**
 * Lines that are neither code nor content: blank, comments, lone brackets, Python's `try:`/`except ImportError:`
 * around imports, C's conditional directives (include guards); `#define` is content.
 */
const NEUTRAL =
  /^\s*(#\s*(if|ifdef|ifndef|elif|else|endif)\b|#(?!\s*[a-z]+\b)|#\s+[^a-z]|\/\/|\/\*|\*|--|[{}()[\];,]*\s*$|(try|else|finally)\s*:|except\b[^:]*:)/;
/** A `#` comment in the languages whose comments start with `#` (in C, `#word` is a directive). */
const HASH_COMMENT = /^\s*#/;
const HASH_COMMENTS: ReadonlySet<string> = new Set(['python', 'ruby', 'bash', 'php']);

/** A block is an import list when at least this share of its code lines are imports. */
const IMPORT_SHARE = 0.75;

/**
 * Whether lines [start, end] (1-based) are an import list: most of their code lines import, re-export or declare the
 * package (a statement spanning several lines, `import (` … `)` or `from x import (` … `)`, counts whole). Comments
 * and blank lines count for nothing; a module docstring counts as content, so documented modules stay blocks.
 */
export function isImportBlock(lines: readonly string[], start: number, end: number, language: string): boolean {
  const startsImport = IMPORT_START[language as LanguageId];
  if (!startsImport) return false;
  let imports = 0;
  let other = 0;
  let depth = 0;
  let inDocstring: string | null = null;
  for (let l = start; l <= end; l += 1) {
    const line = lines[l - 1] ?? '';
    if (inDocstring) {
      other += 1;
      if (line.includes(inDocstring)) inDocstring = null;
      continue;
    }
    if (depth > 0) {
      imports += 1;
      depth = Math.max(0, depth + bracketBalance(line));
      continue;
    }
    if (startsImport.test(line)) {
      imports += 1;
      depth = Math.max(0, bracketBalance(line));
      continue;
    }
    const quote = /^\s*[rRbBuU]?("""|''')/.exec(line)?.[1];
    if (quote) {
      other += 1;
      // A docstring closed on its opening line ends there.
      if (line.indexOf(quote, line.indexOf(quote) + 3) < 0) inDocstring = quote;
      continue;
    }
    if (NEUTRAL.test(line) || (HASH_COMMENTS.has(language) && HASH_COMMENT.test(line))) continue;
    other += 1;
  }
  return imports > 0 && imports >= IMPORT_SHARE * (imports + other);
}

/** Opening minus closing brackets on a line, strings and line comments aside (roughly: enough for import lists). */
function bracketBalance(line: string): number {
  let balance = 0;
  let quote: string | null = null;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i]!;
    if (quote) {
      if (ch === '\\') i += 1;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '#' && i > 0) break;
    else if (ch === '/' && line[i + 1] === '/') break;
    else if (ch === '(' || ch === '{' || ch === '[') balance += 1;
    else if (ch === ')' || ch === '}' || ch === ']') balance -= 1;
  }
  return balance;
}
