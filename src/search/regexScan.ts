import type { RE2JS } from 're2js';

/** One file handed to a scan: its content, or only the lines that can match (see `literalLines`). */
export interface ScanFile {
  id: number;
  content: string;
  lines?: CandidateLine[];
}

/** A line of a file (1-based) without its newline. */
export interface CandidateLine {
  line: number;
  text: string;
}

/** A match's line range (1-based, inclusive) and those lines. */
export interface LineRange {
  startLine: number;
  endLine: number;
  text: string;
}

/** Why a scan stopped before the last file: enough matches, or the time budget ran out. */
export type ScanStop = 'limit' | 'deadline' | null;

export interface ScanProgress {
  /** Files fully scanned. */
  scanned: number;
  stopped: ScanStop;
}

/**
 * Scans files in order, one range per match (a match starting on the line where the previous one
 * ended is skipped), calling `onMatches` for each file with matches. Stops once `limit` ranges are
 * found, or between files once `deadline` (Date.now() milliseconds) has passed.
 */
export function scanFiles(
  regex: RE2JS,
  files: ScanFile[],
  limit: number,
  deadline: number,
  onMatches: (fileId: number, ranges: LineRange[]) => void,
): ScanProgress {
  let found = 0;
  let scanned = 0;
  for (const file of files) {
    if (Date.now() >= deadline) return { scanned, stopped: 'deadline' };
    const ranges = file.lines ? matchingLines(regex, file.lines, limit - found) : matchingRanges(regex, file.content, limit - found);
    scanned += 1;
    if (ranges.length === 0) continue;
    found += ranges.length;
    onMatches(file.id, ranges);
    if (found >= limit) return { scanned, stopped: 'limit' };
  }
  return { scanned, stopped: null };
}

/** Up to `max` match ranges of one file. The DFA's yes/no runs first: most candidates hold no match. */
export function matchingRanges(regex: RE2JS, content: string, max: number): LineRange[] {
  if (max <= 0 || !regex.test(content)) return [];
  const ranges: LineRange[] = [];
  const matcher = regex.matcher(content);
  let lineStarts: number[] | null = null;
  let lastLine = -1;
  while (matcher.find()) {
    const start = matcher.start();
    const end = matcher.end();
    lineStarts ??= computeLineStarts(content);
    const startLine = lineOf(lineStarts, start);
    const endLine = lineOf(lineStarts, start + Math.max(0, end - start - 1));
    if (startLine === lastLine) continue;
    lastLine = endLine;
    const to = endLine < lineStarts.length ? lineStarts[endLine]! - 1 : content.length;
    ranges.push({ startLine, endLine, text: content.slice(lineStarts[startLine - 1], to) });
    if (ranges.length >= max) break;
  }
  return ranges;
}

/**
 * The lines of `content` holding one of `literals`, in order, each once, found with the native
 * `indexOf`. For a pattern whose every match stays inside one line and contains one of them (see
 * `lineLiterals`), testing just these lines gives the same ranges as `matchingRanges` on the whole
 * content, and a scan reads (and a worker is sent) a few lines of a file instead of all of it.
 */
export function literalLines(content: string, literals: string[]): CandidateLine[] {
  let lineStarts: number[] | null = null;
  const lines = new Set<number>();
  for (const literal of literals) {
    for (let at = content.indexOf(literal); at !== -1; at = content.indexOf(literal, at + 1)) {
      lineStarts ??= computeLineStarts(content);
      const line = lineOf(lineStarts, at);
      lines.add(line);
      // The rest of this line is already taken: go on from the next one.
      const next = line < lineStarts.length ? lineStarts[line]! : content.length;
      at = Math.max(at, next - 1);
    }
  }
  if (!lineStarts) return [];
  const starts = lineStarts;
  return [...lines]
    .sort((a, b) => a - b)
    .map((line) => ({ line, text: content.slice(starts[line - 1], line < starts.length ? starts[line]! - 1 : content.length) }));
}

/** Up to `max` ranges among candidate lines: one per line holding a match. */
export function matchingLines(regex: RE2JS, lines: CandidateLine[], max: number): LineRange[] {
  const ranges: LineRange[] = [];
  for (const { line, text } of lines) {
    if (ranges.length >= max) break;
    if (regex.test(text)) ranges.push({ startLine: line, endLine: line, text });
  }
  return ranges;
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
