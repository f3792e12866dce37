import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Language, Parser } from 'web-tree-sitter';
import type { LanguageId } from '../shared/languages.js';

const require = createRequire(import.meta.url);

/** Grammar wasm per language: @vscode/tree-sitter-wasm, plus tree-sitter-c for C. */
const GRAMMARS: Partial<Record<LanguageId, () => string>> = {
  typescript: () => vscodeWasm('typescript'),
  tsx: () => vscodeWasm('tsx'),
  javascript: () => vscodeWasm('javascript'),
  python: () => vscodeWasm('python'),
  go: () => vscodeWasm('go'),
  java: () => vscodeWasm('java'),
  rust: () => vscodeWasm('rust'),
  ruby: () => vscodeWasm('ruby'),
  cpp: () => vscodeWasm('cpp'),
  csharp: () => vscodeWasm('c-sharp'),
  php: () => vscodeWasm('php'),
  bash: () => vscodeWasm('bash'),
  c: () => require.resolve('tree-sitter-c/tree-sitter-c.wasm'),
};

function vscodeWasm(name: string): string {
  return join(dirname(require.resolve('@vscode/tree-sitter-wasm/package.json')), 'wasm', `tree-sitter-${name}.wasm`);
}

export function hasGrammar(language: string): boolean {
  return language in GRAMMARS;
}

let runtime: Promise<typeof import('web-tree-sitter')> | null = null;
const languages = new Map<string, Promise<Language>>();
const parsers = new Map<string, Parser>();

/** A parser for the language, loading the runtime and grammar once per process; null when no grammar exists. */
export async function getParser(language: LanguageId): Promise<Parser | null> {
  const wasm = GRAMMARS[language];
  if (!wasm) return null;
  const cached = parsers.get(language);
  if (cached) return cached;
  runtime ??= import('web-tree-sitter').then(async (mod) => {
    await mod.Parser.init();
    return mod;
  });
  const mod = await runtime;
  let lang = languages.get(language);
  if (!lang) {
    lang = mod.Language.load(wasm());
    languages.set(language, lang);
  }
  const parser = new mod.Parser();
  parser.setLanguage(await lang);
  parsers.set(language, parser);
  return parser;
}
