import { basename } from 'node:path';
import type { Node } from 'web-tree-sitter';
import type { LanguageId } from '../shared/languages.js';
import { isImportBlock } from './importBlocks.js';
import { LANGUAGE_SPECS, type LanguageSpec, type SymbolKind } from './languageSpecs.js';
import { getParser } from './treeSitter.js';

/** One searchable piece of a file; lines are 1-based and inclusive. */
export interface Chunk {
  startLine: number;
  endLine: number;
  /** `imports`: module-level lines that are mostly an import list; `block`: other module-level code. */
  kind: SymbolKind | 'section' | 'block' | 'imports' | 'text';
  /** Qualified name of the definition (`Class.method`), null for plain blocks. */
  symbol: string | null;
  /** Cleaned doc comment / docstring. */
  doc: string | null;
  /** Enclosing signatures (class, module) kept as context for the chunk. */
  context: string | null;
}

export interface SymbolDef {
  name: string;
  qualified: string;
  kind: SymbolKind;
  signature: string;
  startLine: number;
  endLine: number;
}

export interface ChunkResult {
  chunks: Chunk[];
  symbols: SymbolDef[];
  /** True when the file was parsed with a grammar. */
  parsed: boolean;
  /** The file's lines, as split for chunking (callers reuse them for chunk texts). */
  lines: string[];
}

export interface ChunkOptions {
  /** A definition longer than this is split into overlapping windows. */
  maxChunkLines?: number;
  windowLines?: number;
  overlapLines?: number;
}

const DEFAULTS: Required<ChunkOptions> = { maxChunkLines: 120, windowLines: 60, overlapLines: 10 };
/** How many non-definition levels to descend looking for definitions (keeps the walk cheap). */
const DESCEND_BUDGET = 5;

export function splitLines(content: string): string[] {
  const lines = content.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Chunks and symbols of one file: tree-sitter for known languages, headings for Markdown, line windows otherwise. */
export async function chunkFile(
  path: string,
  language: LanguageId | string,
  content: string,
  options: ChunkOptions = {},
): Promise<ChunkResult> {
  const opts = { ...DEFAULTS, ...options };
  const lines = splitLines(content);
  if (lines.length === 0) return { chunks: [], symbols: [], parsed: false, lines };
  if (language === 'markdown') return { chunks: markdownChunks(lines, opts), symbols: [], parsed: false, lines };
  const spec = LANGUAGE_SPECS[language as LanguageId];
  const parser = spec ? await getParser(language as LanguageId) : null;
  const plain = () => ({ chunks: windowChunks(lines, 1, lines.length, opts, 'text', null, null), symbols: [], parsed: false, lines });
  if (!spec || !parser) return plain();
  const tree = parser.parse(content);
  if (!tree) return plain();
  try {
    const walker = new Walker(spec, lines, opts, fileModuleName(path));
    walker.walk(tree.rootNode, [], [], false, DESCEND_BUDGET, null);
    const chunks = walker.chunks;
    chunks.push(...gapChunks(lines, chunks, opts, language));
    chunks.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
    return { chunks, symbols: walker.symbols, parsed: true, lines };
  } finally {
    tree.delete();
  }
}

function fileModuleName(path: string): string {
  const name = basename(path).replace(/\.[^.]+$/, '');
  return name === 'index' ? basename(path.slice(0, Math.max(0, path.lastIndexOf('/')))) || name : name;
}

class Walker {
  readonly chunks: Chunk[] = [];
  readonly symbols: SymbolDef[] = [];

  constructor(
    private readonly spec: LanguageSpec,
    private readonly lines: string[],
    private readonly opts: Required<ChunkOptions>,
    private readonly fileModule: string,
  ) {}

  walk(node: Node, scope: string[], context: string[], inContainer: boolean, budget: number, outer: Node | null): void {
    for (const child of node.namedChildren) {
      if (!child) continue;
      const type = child.type; // each read is a call into the parser
      const info = this.spec.def(child, type, { fileModule: this.fileModule, inContainer });
      if (info) {
        this.emit(child, outer ?? child, info, scope, context);
        continue;
      }
      if (this.spec.wrappers.has(type) || isJsWrapper(type)) {
        this.walk(child, scope, context, inContainer, budget, outer ?? child);
      } else if (budget > 0 && this.mayHoldDefs(type) && child.namedChildCount > 0) {
        this.walk(child, scope, context, inContainer, budget - 1, null);
      }
    }
  }

  private mayHoldDefs(type: string): boolean {
    return this.spec.descendInto ? this.spec.descendInto.has(type) : !this.spec.leading.has(type);
  }

  private emit(node: Node, outer: Node, info: import('./languageSpecs.js').DefInfo, scope: string[], context: string[]): void {
    const leading = this.leadingNodes(outer);
    const startRow = leading.length > 0 ? Math.min(leading[0]!.startPosition.row, outer.startPosition.row) : outer.startPosition.row;
    const endRow = node.endPosition.row;
    const qualifierParts = info.qualifier ? [...scope, info.qualifier] : scope;
    const qualified = [...qualifierParts, info.name].join('.');
    const signature = (this.lines[node.startPosition.row] ?? '').trim().slice(0, 240);
    const doc = cleanDoc(
      [...leading.filter((n) => /comment/.test(n.type)).map((n) => n.text), pythonDocstring(node) ?? ''].filter(Boolean).join('\n'),
    );
    this.symbols.push({
      name: info.name,
      qualified,
      kind: info.kind,
      signature,
      startLine: outer.startPosition.row + 1,
      endLine: endRow + 1,
    });
    const ctx = context.length > 0 ? context.join('\n') : null;
    if (!info.container) {
      // Undocumented one-line members (fields, properties) stay in their container's chunk.
      if (info.kind === 'property' && !doc && startRow === endRow && scope.length > 0) return;
      this.pushDef(startRow + 1, endRow + 1, info.kind, qualified, doc, ctx);
      return;
    }
    const before = this.chunks.length;
    const body = node.childForFieldName('body') ?? node.childForFieldName('value') ?? node.childForFieldName('right') ?? node;
    this.walk(body, [...qualifierParts, info.name], [...context, signature], true, DESCEND_BUDGET, null);
    // The container's own chunk is its header (signature, doc, fields) up to the first child chunk;
    // later runs of lines no child covers (fields between methods) become chunks of the container too.
    const covered = new Uint8Array(endRow - startRow + 3);
    for (const c of this.chunks.slice(before)) {
      for (let l = Math.max(c.startLine, startRow + 1); l <= Math.min(c.endLine, endRow + 1); l += 1) covered[l - startRow] = 1;
    }
    let first = true;
    let runStart = 0;
    for (let l = startRow + 1; l <= endRow + 2; l += 1) {
      const isCovered = l > endRow + 1 || covered[l - startRow] === 1;
      if (!isCovered && runStart === 0) runStart = l;
      if (isCovered && runStart !== 0) {
        if (first || contentLines(this.lines, runStart, l - 1) >= 1) {
          this.pushDef(
            runStart,
            l - 1,
            info.kind,
            qualified,
            first ? doc : null,
            first ? ctx : [ctx, signature].filter(Boolean).join('\n'),
          );
        }
        first = false;
        runStart = 0;
      }
    }
  }

  private pushDef(start: number, end: number, kind: SymbolKind, symbol: string, doc: string | null, context: string | null): void {
    if (end - start + 1 <= this.opts.maxChunkLines) {
      this.chunks.push({ startLine: start, endLine: end, kind, symbol, doc, context });
      return;
    }
    this.chunks.push(...windowChunks(this.lines, start, end, this.opts, kind, symbol, context, doc));
  }

  /** Comments and attributes directly above a definition, without blank lines between them. */
  private leadingNodes(outer: Node): Node[] {
    const out: Node[] = [];
    let current = outer;
    let previous = outer.previousNamedSibling;
    while (
      previous &&
      this.spec.leading.has(previous.type) &&
      previous.endPosition.row >= current.startPosition.row - allowedGap(previous, current === outer)
    ) {
      // A comment that ends a line of code belongs to that code, not to us.
      if (
        previous.endPosition.row === current.startPosition.row &&
        previous !== outer &&
        current === outer &&
        /comment/.test(previous.type)
      )
        break;
      out.unshift(previous);
      current = previous;
      previous = previous.previousNamedSibling;
    }
    return out.filter((n) => !isTrailingComment(n, this.lines));
  }
}

const JS_WRAPPERS = new Set(['lexical_declaration', 'variable_declaration', 'expression_statement']);
function isJsWrapper(type: string): boolean {
  return JS_WRAPPERS.has(type);
}

/** A JSDoc block may sit one blank line above the definition it documents (koa's style); other comments must touch it. */
function allowedGap(comment: Node, first: boolean): number {
  return first && comment.text.startsWith('/**') ? 2 : 1;
}

function isTrailingComment(node: Node, lines: string[]): boolean {
  const line = lines[node.startPosition.row] ?? '';
  return line.slice(0, node.startPosition.column).trim().length > 0;
}

function pythonDocstring(node: Node): string | null {
  if (node.type !== 'function_definition' && node.type !== 'class_definition') return null;
  const first = node.childForFieldName('body')?.firstNamedChild;
  if (first?.type !== 'expression_statement') return null;
  const str = first.firstNamedChild;
  return str?.type === 'string' ? str.text : null;
}

/** Doc text without comment markers. */
export function cleanDoc(raw: string): string | null {
  if (!raw.trim()) return null;
  const text = raw
    .split('\n')
    .map((line) =>
      line
        .replace(/^\s*(\/\*\*?|\*\/|\*(?!\/)|\/\/\/?|#+|--|"""|''')\s?/, '')
        .replace(/\s*(\*\/|"""|''')\s*$/, '')
        .replace(/^[rbuRBU]?("""|''')/, ''),
    )
    .join('\n')
    .trim();
  return text.length > 0 ? text.slice(0, 4000) : null;
}

/** Fixed windows with overlap over [start, end]. */
function windowChunks(
  lines: string[],
  start: number,
  end: number,
  opts: Required<ChunkOptions>,
  kind: Chunk['kind'],
  symbol: string | null,
  context: string | null,
  doc: string | null = null,
): Chunk[] {
  const out: Chunk[] = [];
  const step = Math.max(1, opts.windowLines - opts.overlapLines);
  for (let s = start; s <= end; s += step) {
    const e = Math.min(end, s + opts.windowLines - 1);
    out.push({ startLine: s, endLine: e, kind, symbol, doc: s === start ? doc : null, context });
    if (e >= end) break;
  }
  return out.filter((c) => hasContent(lines, c.startLine, c.endLine));
}

function contentLines(lines: string[], start: number, end: number): number {
  let n = 0;
  for (let l = start; l <= end; l += 1) if (!TRIVIAL_LINE.test(lines[l - 1] ?? '')) n += 1;
  return n;
}

/** Lines with nothing searchable: blank, lone brackets, Ruby/Lua `end`. */
const TRIVIAL_LINE = /^[\s{}()[\];,]*(end[\s;]*)?$/;

function hasContent(lines: string[], start: number, end: number): boolean {
  for (let i = start - 1; i < end; i += 1) if ((lines[i] ?? '').trim().length > 0) return true;
  return false;
}

/** Chunks for lines no definition covers (imports, module-level code), ignoring short runs; import lists are kind `imports`. */
function gapChunks(lines: string[], chunks: Chunk[], opts: Required<ChunkOptions>, language: string): Chunk[] {
  const covered = new Uint8Array(lines.length + 2);
  for (const c of chunks) for (let l = c.startLine; l <= c.endLine; l += 1) covered[l] = 1;
  const out: Chunk[] = [];
  let runStart = 0;
  const flush = (endLine: number) => {
    if (runStart === 0) return;
    const nonBlank = contentLines(lines, runStart, endLine);
    if (nonBlank >= 1) {
      for (const chunk of windowChunks(lines, runStart, endLine, opts, 'block', null, null)) {
        out.push(isImportBlock(lines, chunk.startLine, chunk.endLine, language) ? { ...chunk, kind: 'imports' } : chunk);
      }
    }
    runStart = 0;
  };
  for (let l = 1; l <= lines.length; l += 1) {
    if (covered[l]) flush(l - 1);
    else if (runStart === 0) runStart = l;
  }
  flush(lines.length);
  return out;
}

/** Markdown: one chunk per heading section (headings inside code fences ignored), long sections windowed. */
function markdownChunks(lines: string[], opts: Required<ChunkOptions>): Chunk[] {
  const out: Chunk[] = [];
  let inFence = false;
  let start = 1;
  let heading: string | null = null;
  const flush = (end: number) => {
    if (end >= start && hasContent(lines, start, end)) out.push(...windowChunks(lines, start, end, opts, 'section', heading, null));
  };
  lines.forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const match = !inFence ? /^(#{1,6})\s+(.*)$/.exec(line) : null;
    if (match) {
      flush(index);
      start = index + 1;
      heading = (match[2] ?? '').replace(/#+\s*$/, '').trim() || null;
    }
  });
  flush(lines.length);
  return out;
}

/** The text of a chunk as embedded and shown: context signatures, then the lines. */
export function chunkText(lines: string[], chunk: Pick<Chunk, 'startLine' | 'endLine' | 'context'>): string {
  const body = lines.slice(chunk.startLine - 1, chunk.endLine).join('\n');
  return chunk.context ? `${chunk.context}\n${body}` : body;
}
