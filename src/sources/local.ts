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

export function localRepo(path: string, options: { name?: string; sourceKey: string }): DiscoveredRepo {
  const folder = basename(path).replace(/\.git$/i, '');
  return {
    name: options.name ?? folder,
    owner: basename(dirname(path)) || null,
    sourceType: 'local',
    sourceKey: options.sourceKey,
    fullName: folder,
    cloneUrl: path,
    htmlUrl: null,
    ...NO_HOST_METADATA,
  };
}
