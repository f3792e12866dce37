import './prismSetup.js';
import Prism from 'prismjs';
import 'prismjs/components/prism-typescript.js';
import 'prismjs/components/prism-jsx.js';
import 'prismjs/components/prism-tsx.js';
import 'prismjs/components/prism-python.js';
import 'prismjs/components/prism-go.js';
import 'prismjs/components/prism-java.js';
import 'prismjs/components/prism-rust.js';
import 'prismjs/components/prism-ruby.js';
import 'prismjs/components/prism-c.js';
import 'prismjs/components/prism-cpp.js';
import 'prismjs/components/prism-csharp.js';
import 'prismjs/components/prism-markup-templating.js';
import 'prismjs/components/prism-php.js';
import 'prismjs/components/prism-bash.js';
import 'prismjs/components/prism-markdown.js';
import 'prismjs/components/prism-json.js';
import 'prismjs/components/prism-yaml.js';
import 'prismjs/components/prism-toml.js';
import 'prismjs/components/prism-sql.js';
import 'prismjs/components/prism-kotlin.js';
import 'prismjs/components/prism-swift.js';
import 'prismjs/components/prism-scala.js';

/** gitlore's language ids (src/shared/languages.ts) → Prism grammars. */
const GRAMMARS: Record<string, string> = {
  typescript: 'typescript',
  tsx: 'tsx',
  javascript: 'javascript',
  python: 'python',
  go: 'go',
  java: 'java',
  rust: 'rust',
  ruby: 'ruby',
  c: 'c',
  cpp: 'cpp',
  csharp: 'csharp',
  php: 'php',
  bash: 'bash',
  markdown: 'markdown',
  json: 'json',
  yaml: 'yaml',
  toml: 'toml',
  html: 'markup',
  css: 'css',
  sql: 'sql',
  kotlin: 'kotlin',
  swift: 'swift',
  scala: 'scala',
};

type Stream = string | Prism.Token | (string | Prism.Token)[];

/** One line as pieces of text, each with the classes of its token types ('' for plain text). */
export type TokenLine = [text: string, classes: string][];

/**
 * The text split into lines of classed pieces, from Prism.tokenize (a multi-line comment or string is
 * cut at each newline and keeps its classes). Returns null for a language without a grammar.
 */
export function tokenizeLines(text: string, language: string): TokenLine[] | null {
  const grammar = Prism.languages[GRAMMARS[language] ?? ''];
  if (!grammar) return null;
  const lines: TokenLine[] = [[]];
  const emit = (piece: string, classes: string) => {
    const parts = piece.split('\n');
    for (let i = 0; i < parts.length; i++) {
      if (i > 0) lines.push([]);
      const part = parts[i] as string;
      if (part) (lines[lines.length - 1] as TokenLine).push([part, classes]);
    }
  };
  const walk = (stream: Stream, classes: string) => {
    if (typeof stream === 'string') emit(stream, classes);
    else if (Array.isArray(stream)) for (const s of stream) walk(s, classes);
    else {
      const alias = Array.isArray(stream.alias) ? stream.alias.join(' t-') : stream.alias;
      walk(stream.content as Stream, `${classes ? `${classes} ` : ''}t-${stream.type}${alias ? ` t-${alias}` : ''}`);
    }
  };
  walk(Prism.tokenize(text, grammar), '');
  return lines;
}

/** A line's pieces as text nodes and spans: nothing in the file is ever parsed as HTML. */
export function lineFragment(line: TokenLine): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const [text, classes] of line) {
    if (!classes) fragment.append(text);
    else {
      const span = document.createElement('span');
      span.className = classes;
      span.textContent = text;
      fragment.append(span);
    }
  }
  return fragment;
}
