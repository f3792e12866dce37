import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';

/** Bumped when a manifest changes in a way an older restore cannot read. */
export const MANIFEST_FORMAT = 1;
export const MANIFESTS_PREFIX = 'backups/';
export const OBJECTS_PREFIX = 'objects/';

/** One file of a backup, stored once under `objects/<sha256>` and referred to by every manifest that holds it. */
export interface ManifestItem {
  kind: 'database' | 'clone';
  /** database: `sqlite` or `postgres`; clone: the repository's name. */
  name: string;
  /** Where it goes on restore: `index/gitlore.db`, or a clone folder relative to the repos folder. */
  path: string;
  /** The object's key in the target. */
  key: string;
  size: number;
  sha256: string;
  /** Clones: digest of every ref and HEAD; an unchanged digest reuses the earlier bundle. */
  refsDigest?: string;
  /** Clones: what HEAD pointed at (`refs/heads/main`, or a commit when detached). */
  head?: string;
  /** Clones: the `origin` remote's URL, set again on restore so the syncer fetches where it did. */
  origin?: string | null;
  /** True when this backup refers to the object an earlier backup uploaded. */
  reused?: boolean;
}

export interface Manifest {
  format: number;
  gitloreVersion: string;
  id: string;
  createdAt: string;
  backend: 'sqlite' | 'postgres';
  items: ManifestItem[];
  /** Clones outside the repos folder (a registered local path used in place): not backed up, re-synced on restore. */
  external: string[];
  /** Clones with no commit yet: created empty on restore. */
  empty: { name: string; path: string; origin: string | null }[];
}

export function manifestKey(id: string): string {
  return `${MANIFESTS_PREFIX}${id}.json`;
}

/** Sorts by time: `20261203T143700123Z-1a2b3c4d`. */
export function newBackupId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 8)}`;
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Parses a manifest's text, refusing anything that is not one this version can restore. */
export function parseManifest(text: string, where: string): Manifest {
  const invalid = (why: string) =>
    new GitloreError(ERROR_CODES.BACKUP_INVALID, `The backup manifest ${where} ${why}.`, {
      hint: 'Restore from another backup (`gitlore restore --from <location>` takes the newest complete one).',
    });
  let value: Manifest;
  try {
    value = JSON.parse(text) as Manifest;
  } catch {
    throw invalid('is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || !Array.isArray(value.items)) throw invalid('has no item list');
  if (value.format !== MANIFEST_FORMAT) throw invalid(`has format ${String(value.format)}, this gitlore reads ${MANIFEST_FORMAT}`);
  if (value.backend !== 'sqlite' && value.backend !== 'postgres') throw invalid(`names an unknown backend ${String(value.backend)}`);
  for (const item of value.items) {
    if (!item || typeof item.key !== 'string' || !/^[0-9a-f]{64}$/.test(item.sha256 ?? '') || typeof item.path !== 'string')
      throw invalid('has an item without key, path or sha256');
    if (item.path.split('/').some((p) => p === '..' || p === '') || item.path.startsWith('/'))
      throw invalid(`has an item outside the data folder (${item.path})`);
    // Passed to git as arguments on restore: a ref or a commit id, and a remote that is not an option.
    if (item.head !== undefined && item.head !== '' && !/^(refs\/[^\s]+|[0-9a-f]{40,64})$/.test(item.head))
      throw invalid(`has a HEAD that is neither a ref nor a commit (${item.head})`);
    if (typeof item.origin === 'string' && item.origin.startsWith('-'))
      throw invalid(`has an origin that reads as an option (${item.origin})`);
  }
  if (value.items.filter((i) => i.kind === 'database').length !== 1) throw invalid('does not hold exactly one database');
  value.external ??= [];
  value.empty ??= [];
  for (const empty of value.empty) {
    if (typeof empty?.path !== 'string' || empty.path.split('/').some((p) => p === '..' || p === '') || empty.path.startsWith('/'))
      throw invalid('has an empty clone outside the repos folder');
    if (typeof empty.origin === 'string' && empty.origin.startsWith('-'))
      throw invalid(`has an origin that reads as an option (${empty.origin})`);
  }
  return value;
}
