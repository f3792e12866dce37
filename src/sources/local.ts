import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { type DiscoveredRepo, NO_HOST_METADATA } from './types.js';

/** A work tree (`.git` folder or file) or a bare repository. */
export function isRepoFolder(path: string): boolean {
  if (existsSync(join(path, '.git'))) return true;
  return existsSync(join(path, 'HEAD')) && existsSync(join(path, 'objects')) && existsSync(join(path, 'refs'));
}

/**
 * Repositories under a local path: the path itself when it is a repository, its direct
 * children that are repositories when it is a plain folder, or every match of a glob.
 */
export function listLocalRepos(pattern: string, options: { name?: string; sourceKey: string }): DiscoveredRepo[] {
  const abs = resolve(pattern);
  let folders: string[];
  // Loaded on first use: most commands never list a local source.
  const fg = createRequire(import.meta.url)('fast-glob') as typeof import('fast-glob');
  if (fg.isDynamicPattern(pattern)) {
    folders = fg.sync(pattern, { onlyDirectories: true, absolute: true, dot: false }).sort();
  } else if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    folders = [];
  } else if (isRepoFolder(abs)) {
    folders = [abs];
  } else {
    folders = readdirSync(abs)
      .filter((n) => !n.startsWith('.'))
      .map((n) => join(abs, n))
      .sort();
  }
  const repos = folders.filter((f) => statSync(f).isDirectory() && isRepoFolder(f));
  return repos.map((path) => localRepo(path, { name: repos.length === 1 ? options.name : undefined, sourceKey: options.sourceKey }));
}

/** Folder names a mirror layout gives every repository (`<name>/repo`, `<name>/.git`), so they say nothing. */
const GENERIC_FOLDERS = new Set(['', 'repo', 'repository', 'mirror', 'git']);

function isBare(path: string): boolean {
  return !existsSync(join(path, '.git')) && existsSync(join(path, 'HEAD')) && existsSync(join(path, 'objects'));
}

/**
 * The name a local repository goes by: its folder without `.git` (`…/name.git` → `name`);
 * for a bare repository in a folder with a generic name (`…/name/repo`, `…/name/.git`),
 * the folder above it. A work tree keeps its own folder name, whatever it is.
 */
export function localRepoName(path: string): { name: string; owner: string | null } {
  const abs = resolve(path);
  const folder = basename(abs).replace(/\.git$/i, '');
  if (GENERIC_FOLDERS.has(folder.toLowerCase()) && isBare(abs) && basename(dirname(abs))) {
    const parent = dirname(abs);
    return { name: basename(parent).replace(/\.git$/i, ''), owner: basename(dirname(parent)) || null };
  }
  return { name: folder, owner: basename(dirname(abs)) || null };
}

export function localRepo(path: string, options: { name?: string; sourceKey: string }): DiscoveredRepo {
  const { name, owner } = localRepoName(path);
  return {
    name: options.name ?? name,
    owner,
    sourceType: 'local',
    sourceKey: options.sourceKey,
    fullName: name,
    cloneUrl: path,
    htmlUrl: null,
    ...NO_HOST_METADATA,
  };
}
