import picomatch from 'picomatch';

/**
 * The `--path` filter as a predicate, or null without one. A glob (`src/**\/*.ts`, `*.test.ts`)
 * matches the whole path, or the file name when it has no `/`; anything else is a folder prefix
 * (a leading `./` is ignored) or a substring of the path.
 */
export function pathMatcher(glob: string | undefined): ((path: string) => boolean) | null {
  if (!glob) return null;
  if (!/[*?[\]{}]/.test(glob)) {
    const prefix = glob.replace(/^\.\//, '');
    return (path) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`) || path.includes(prefix);
  }
  const isMatch = picomatch(glob, { dot: true });
  const base = picomatch(glob, { dot: true, basename: true });
  return (path) => isMatch(path) || (!glob.includes('/') && base(path));
}
