import { decodeBytes } from './gitLog.js';

/** One line of a hunk: context, added, removed, or git's `\ No newline at end of file`. */
export interface DiffLine {
  kind: 'context' | 'add' | 'del' | 'note';
  /** Line number in the old file (context and removed lines). */
  oldLine: number | null;
  /** Line number in the new file (context and added lines). */
  newLine: number | null;
  text: string;
}

export interface DiffHunk {
  oldStart: number;
  /** Lines of the old file the hunk spans. */
  oldCount: number;
  newStart: number;
  newCount: number;
  /** The text git prints after the second `@@` (the enclosing function, when it finds one). */
  section: string;
  lines: DiffLine[];
}

export type DiffStatus = 'A' | 'M' | 'D' | 'R' | 'C' | 'T';

export interface FileDiff {
  /** The new path (the old one for a deleted file). */
  path: string;
  /** The path before a rename or copy. */
  oldPath?: string;
  status: DiffStatus;
  binary: boolean;
  /** `100644 → 100755` when the mode changed. */
  modeChange?: string;
  hunks: DiffHunk[];
  /** Lines of the hunks kept (context, added, removed); at most the per-file limit. */
  shownLines: number;
  /** Lines of the hunks in all, kept or not. */
  totalLines: number;
  /** Some lines were left out (the per-file or the total limit). */
  truncated: boolean;
}

export interface DiffLimits {
  /** Hunk lines kept per file. */
  linesPerFile: number;
  /** Hunk lines kept over all files; later files keep none. */
  totalLines: number;
  /** Characters kept of one line (minified files). */
  lineChars: number;
}

export const DEFAULT_DIFF_LIMITS: DiffLimits = { linesPerFile: 1000, totalLines: 20_000, lineChars: 1000 };

const LF = 0x0a;
const C_ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** git's C-style quoted path (`"a\303\251\tb"`) as text; an unquoted path is returned as is. */
export function unquoteGitPath(text: string): string {
  if (!(text.length >= 2 && text.startsWith('"') && text.endsWith('"'))) return text;
  const bytes: number[] = [];
  const body = text.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch !== '\\') {
      for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i + 1))?.[0] ?? '0';
      bytes.push(Number.parseInt(oct, 8) & 0xff);
      i += oct.length;
    } else {
      bytes.push(C_ESCAPES[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return decodeBytes(Uint8Array.from(bytes));
}

/** `a/x` → `x`; `/dev/null` → null; quoted names unquoted first; the tab git appends to names with spaces dropped. */
function prefixedName(raw: string, prefix: 'a/' | 'b/'): string | null {
  const name = unquoteGitPath(raw.replace(/\t$/, ''));
  if (name === '/dev/null') return null;
  return name.startsWith(prefix) ? name.slice(2) : name;
}

/** The path of `diff --git a/x b/x` when nothing else names it (binary and mode-only changes). */
function pathFromDiffGitLine(rest: string): string {
  if (rest.startsWith('"')) {
    const end = /^"(?:[^"\\]|\\.)*"/.exec(rest)?.[0];
    if (end) {
      const second = rest.slice(end.length + 1);
      return prefixedName(second, 'b/') ?? prefixedName(end, 'a/') ?? '';
    }
  }
  // `a/P b/P`: both names are the same when git gives no rename or copy lines.
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest.startsWith('a/') && rest.slice(half + 1).startsWith('b/')) return rest.slice(2, half);
  const b = rest.lastIndexOf(' b/');
  return b > 0 ? rest.slice(b + 3) : rest;
}

/**
 * Parses `git show --patch` (or `git diff`) output, fed in chunks, into files and hunks with line numbers.
 * Keeps at most `limits.linesPerFile` hunk lines per file and `limits.totalLines` in all, counting the rest.
 */
export class UnifiedDiffParser {
  readonly files: FileDiff[] = [];
  private kept = 0;
  private current: FileDiff | null = null;
  private hunk: DiffHunk | null = null;
  private inHunk = false;
  private oldLine = 0;
  private newLine = 0;
  private pending: Buffer = Buffer.alloc(0);
  private oldMode = '';
  private pathFromHeader = '';
  private pathSet = false;

  constructor(private readonly limits: DiffLimits = DEFAULT_DIFF_LIMITS) {}

  /** Lines kept so far over all files. */
  get keptLines(): number {
    return this.kept;
  }

  push(chunk: Buffer): void {
    const buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let start = 0;
    for (let i = buf.indexOf(LF, start); i !== -1; i = buf.indexOf(LF, start)) {
      this.line(buf.subarray(start, i));
      start = i + 1;
    }
    this.pending = Buffer.from(buf.subarray(start));
  }

  /** One line of output without its newline (a caller that splits lines itself). */
  pushLine(bytes: Buffer): void {
    this.line(bytes);
  }

  /** Flushes the last line; returns the files. */
  end(): FileDiff[] {
    if (this.pending.length > 0) this.line(this.pending);
    this.pending = Buffer.alloc(0);
    this.finishFile();
    return this.files;
  }

  private line(bytes: Buffer): void {
    const first = bytes[0];
    // Hunk lines are the bulk: only decode them when they are kept.
    if (this.inHunk && (first === 0x20 || first === 0x2b || first === 0x2d || first === 0x5c)) {
      this.hunkLine(first, bytes);
      return;
    }
    const text = decodeBytes(bytes);
    if (text.startsWith('diff --git ')) {
      this.startFile(text.slice('diff --git '.length));
      return;
    }
    const file = this.current;
    if (!file) return;
    if (text.startsWith('@@ ')) {
      const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/.exec(text);
      if (!m) return;
      this.oldLine = Number(m[1]);
      this.newLine = Number(m[3]);
      this.hunk = {
        oldStart: this.oldLine,
        oldCount: Number(m[2] ?? 1),
        newStart: this.newLine,
        newCount: Number(m[4] ?? 1),
        section: this.clip(m[5] ?? ''),
        lines: [],
      };
      this.inHunk = true;
      return;
    }
    if (this.inHunk) return; // an empty line or anything else between hunks: not part of the patch
    if (text.startsWith('new file mode ')) file.status = 'A';
    else if (text.startsWith('deleted file mode ')) file.status = 'D';
    else if (text.startsWith('old mode ')) this.oldMode = text.slice('old mode '.length);
    else if (text.startsWith('new mode ')) {
      file.modeChange = `${this.oldMode} → ${text.slice('new mode '.length)}`;
      if (file.status === 'M' && (this.oldMode.startsWith('12') || text.startsWith('new mode 12'))) file.status = 'T';
    } else if (text.startsWith('rename from ') || text.startsWith('copy from ')) {
      file.status = text.startsWith('rename') ? 'R' : 'C';
      file.oldPath = unquoteGitPath(text.slice(text.indexOf(' from ') + 6));
    } else if (text.startsWith('rename to ') || text.startsWith('copy to ')) {
      this.setPath(unquoteGitPath(text.slice(text.indexOf(' to ') + 4)));
    } else if (text.startsWith('Binary files ') || text === 'GIT binary patch') {
      file.binary = true;
    } else if (text.startsWith('--- ')) {
      const old = prefixedName(text.slice(4), 'a/');
      if (old !== null && !this.pathSet) this.pathFromHeader = old;
    } else if (text.startsWith('+++ ')) {
      const name = prefixedName(text.slice(4), 'b/');
      if (name !== null) this.setPath(name);
    }
  }

  private setPath(path: string): void {
    if (this.current) this.current.path = path;
    this.pathSet = true;
  }

  private startFile(rest: string): void {
    this.finishFile();
    this.current = {
      path: pathFromDiffGitLine(rest),
      status: 'M',
      binary: false,
      hunks: [],
      shownLines: 0,
      totalLines: 0,
      truncated: false,
    };
    this.hunk = null;
    this.inHunk = false;
    this.oldMode = '';
    this.pathFromHeader = '';
    this.pathSet = false;
  }

  private finishFile(): void {
    const file = this.current;
    if (!file) return;
    // A deleted file is named by its `--- a/` line only.
    if (!this.pathSet && this.pathFromHeader) file.path = this.pathFromHeader;
    if (file.oldPath === file.path) delete file.oldPath;
    this.files.push(file);
    this.current = null;
    this.hunk = null;
    this.inHunk = false;
  }

  private hunkLine(first: number, bytes: Buffer): void {
    const file = this.current as FileDiff;
    let kind: DiffLine['kind'];
    let oldLine: number | null = null;
    let newLine: number | null = null;
    if (first === 0x20) {
      kind = 'context';
      oldLine = this.oldLine++;
      newLine = this.newLine++;
    } else if (first === 0x2b) {
      kind = 'add';
      newLine = this.newLine++;
    } else if (first === 0x2d) {
      kind = 'del';
      oldLine = this.oldLine++;
    } else {
      kind = 'note';
    }
    if (kind !== 'note') file.totalLines++;
    const keep = this.hunk !== null && this.kept < this.limits.totalLines && file.shownLines < this.limits.linesPerFile;
    if (!keep) {
      if (kind !== 'note') file.truncated = true;
      return;
    }
    const hunk = this.hunk as DiffHunk;
    if (file.hunks[file.hunks.length - 1] !== hunk) file.hunks.push(hunk);
    // A CR ending a line (CRLF files) would read as a line break in the page.
    const text = kind === 'note' ? decodeBytes(bytes).slice(2) : this.clip(decodeBytes(bytes.subarray(1)).replace(/\r$/, ''));
    hunk.lines.push({ kind, oldLine, newLine, text });
    if (kind !== 'note') {
      file.shownLines++;
      this.kept++;
    }
  }

  private clip(text: string): string {
    return text.length > this.limits.lineChars ? `${text.slice(0, this.limits.lineChars)}…` : text;
  }
}
