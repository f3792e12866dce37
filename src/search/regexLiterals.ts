/**
 * Literal runs a regex match must contain, for the trigram prefilter. Returns
 * [] when nothing can be required (alternation at top level, or only short
 * literals): the caller then scans every file. Reads RE2 syntax (what regex
 * search compiles): `\Q…\E` quoting, `[[:alpha:]]` classes, `\x{…}`/`\p{…}` escapes.
 */
export function requiredLiterals(pattern: string, minLength = 3): string[] {
  const runs: string[] = [];
  let current = '';
  let depth = 0;
  const end = () => {
    if (current.length >= minLength) runs.push(current);
    current = '';
  };
  pattern = unquote(pattern);
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[.*+?^${}()|[\]\\/-]/.test(next) && depth === 0) {
        current += next;
        i += 1;
      } else {
        end();
        i = escapeEnd(pattern, i) - 1;
      }
      continue;
    }
    if (ch === '|' && depth === 0) return [];
    if (ch === '(') {
      end();
      depth += 1;
      continue;
    }
    if (ch === ')') {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (depth > 0) continue;
    if (ch === '[') {
      end();
      i = classEnd(pattern, i) - 1;
      continue;
    }
    if (ch === '?' || ch === '*' || ch === '{') {
      // The previous character is optional: drop it from the run.
      current = current.slice(0, -1);
      end();
      if (ch === '{') while (i < pattern.length && pattern[i] !== '}') i += 1;
      continue;
    }
    if (ch === '+') {
      end();
      continue;
    }
    if ('.^$'.includes(ch)) {
      end();
      continue;
    }
    current += ch;
  }
  end();
  // Trigram queries match case-insensitively, which is a superset of the regex; fine as a prefilter.
  return [...new Set(runs)];
}

/** The pattern split at its top-level `|` (outside groups, classes and escapes). */
export function topLevelBranches(pattern: string): string[] {
  pattern = unquote(pattern);
  const branches: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      i += 1;
      continue;
    }
    if (ch === '[') i = classEnd(pattern, i) - 1;
    else if (ch === '(') depth += 1;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (ch === '|' && depth === 0) {
      branches.push(pattern.slice(start, i));
      start = i + 1;
    }
  }
  branches.push(pattern.slice(start));
  return branches;
}

/**
 * Trigram prefilter as alternatives: a match must contain every literal of at
 * least one inner list (`def foo\(|func foo\(` → [['def foo('], ['func foo(']]).
 * Returns [] when some branch requires nothing (the caller scans every file).
 */
export function literalAlternatives(pattern: string, minLength = 3): string[][] {
  const groups: string[][] = [];
  for (const branch of topLevelBranches(pattern)) {
    const literals = requiredLiterals(branch, minLength);
    if (literals.length === 0) return [];
    groups.push(literals);
  }
  return groups;
}

/** Escapes that can match neither a newline nor a text (not line) boundary: `\w \d \S \b \B` and escaped punctuation. */
const LINE_SAFE_ESCAPE = /^[wdSbB!-/:-@[-`{-~]$/;

/**
 * For patterns whose every match lies inside one line and contains a known literal: one literal per
 * top-level branch (the longest it requires), so a scan may test only the lines holding one of them.
 * Null when a match could cross or depend on a newline (`\s`, `\W`, `\D`, `[^…]`, POSIX or Unicode
 * classes, `\A`/`\z`, flags such as `(?s)`/`(?i)`, control characters) or a branch requires no literal.
 * Conservative: a pattern it cannot vouch for just takes the whole-file scan.
 */
export function lineLiterals(pattern: string): string[] | null {
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i]!;
    if (ch < ' ' || ch === '\x7f') return null;
    if (ch === '\\') {
      if (!LINE_SAFE_ESCAPE.test(pattern[i + 1] ?? '')) return null;
      i += 1;
    } else if (ch === '(' && pattern[i + 1] === '?' && !/^\(\?(:|P?<[A-Za-z_])/.test(pattern.slice(i, i + 5))) return null;
    else if (ch === '[' && (pattern[i + 1] === '^' || pattern[i + 1] === ':' || pattern[i + 1] === '[')) return null;
  }
  const groups = literalAlternatives(pattern);
  if (groups.length === 0) return null;
  return groups.map((group) => group.reduce((a, b) => (b.length > a.length ? b : a)));
}

/** `\Q…\E` (RE2 quoting; `\E` optional at the end) rewritten as escaped characters. */
function unquote(pattern: string): string {
  if (!pattern.includes('\\Q')) return pattern;
  return pattern.replace(/\\\\|\\Q([\s\S]*?)(?:\\E|$)/g, (whole, quoted: string | undefined) =>
    quoted === undefined ? whole : quoted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
  );
}

/** Index just past the escape starting at `i` (a backslash): `\x41`, `\x{263a}`, `\u0041`, `\pL`, `\p{Greek}`, `\cA`, `\123`, `\n`. */
function escapeEnd(pattern: string, i: number): number {
  const kind = pattern[i + 1] ?? '';
  let j = i + 2;
  if ((kind === 'x' || kind === 'u' || kind === 'p' || kind === 'P') && pattern[j] === '{') {
    const close = pattern.indexOf('}', j);
    return close === -1 ? pattern.length : close + 1;
  }
  const width = { x: 2, u: 4, p: 1, P: 1, c: 1 }[kind];
  if (width !== undefined) return Math.min(pattern.length, j + width);
  if (/[0-7]/.test(kind)) while (j < i + 4 && /[0-7]/.test(pattern[j] ?? '')) j += 1;
  return j;
}

/** Index just past the character class opening at `i`: a leading `]` or `^]` is literal, `[:alpha:]` nests. */
function classEnd(pattern: string, i: number): number {
  let j = i + 1;
  if (pattern[j] === '^') j += 1;
  if (pattern[j] === ']') j += 1;
  while (j < pattern.length) {
    const ch = pattern[j]!;
    if (ch === '\\') j = escapeEnd(pattern, j);
    else if (ch === '[' && pattern[j + 1] === ':') {
      const close = pattern.indexOf(':]', j + 2);
      j = close === -1 ? j + 1 : close + 2;
    } else if (ch === ']') return j + 1;
    else j += 1;
  }
  return j;
}
