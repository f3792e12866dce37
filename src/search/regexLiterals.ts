/**
 * Literal runs a regex match must contain, for the trigram prefilter. Returns
 * [] when nothing can be required (alternation at top level, or only short
 * literals): the caller then scans every file.
 */
export function requiredLiterals(pattern: string, minLength = 3): string[] {
  const runs: string[] = [];
  let current = '';
  let depth = 0;
  const end = () => {
    if (current.length >= minLength) runs.push(current);
    current = '';
  };
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      const next = pattern[i + 1] ?? '';
      i += 1;
      if (/[.*+?^${}()|[\]\\/-]/.test(next) && depth === 0) current += next;
      else end();
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
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
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
  const branches: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      i += 1;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') inClass = true;
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
