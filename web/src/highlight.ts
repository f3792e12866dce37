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

/**
 * The text split into lines, each a fragment of spans whose classes name the token types. Tokens come
 * from Prism.tokenize and become text nodes: nothing in the file is ever parsed as HTML.
 * Returns null for a language without a grammar.
 */
export function highlightLines(text: string, language: string): DocumentFragment[] | null {
  const grammar = Prism.languages[GRAMMARS[language] ?? ''];
  if (!grammar) return null;
  const lines: DocumentFragment[] = [document.createDocumentFragment()];
  const emit = (piece: string, classes: string) => {
    const parts = piece.split('\n');
    parts.forEach((part, i) => {
      if (i > 0) lines.push(document.createDocumentFragment());
      if (!part) return;
      const target = lines[lines.length - 1] as DocumentFragment;
      if (!classes) target.append(part);
      else {
        const span = document.createElement('span');
        span.className = classes;
        span.textContent = part;
        target.append(span);
      }
    });
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
