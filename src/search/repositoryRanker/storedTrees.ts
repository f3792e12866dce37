import { createHash } from 'node:crypto';
import type { Store } from '../../store/index.js';
import type { RankerModel, RankerTree } from '../learnedRanker.js';
import { FEATURE_NAMES } from '../rankFeatures.js';

/** What is stored of a repository's learned ranker: its trees, and what they were learned on top of. */
export interface StoredRepositoryTrees {
  repo: string;
  /** The fixed model's fingerprint: trees learned on another build's model (or features) are not used. */
  base: string;
  trees: RankerTree[];
  trainedOn: string;
  /** The commit the repository's index was at, and how many files it held. */
  commit: string | null;
  files: number;
  learnedAt: string;
}

export const treesArtifact = (repoId: number) => `ranker-trees/${repoId}`;

const fingerprints = new WeakMap<RankerModel, string>();

/** A fingerprint of a model and the build's feature list (kept per model object: search asks for it on every query). */
export function modelFingerprint(model: RankerModel): string {
  let fingerprint = fingerprints.get(model);
  if (!fingerprint) {
    const described = { features: FEATURE_NAMES, weights: model.weights, hidden: model.hidden ?? null, trees: model.trees ?? null };
    fingerprint = createHash('sha1').update(JSON.stringify(described)).digest('hex').slice(0, 16);
    fingerprints.set(model, fingerprint);
  }
  return fingerprint;
}

export async function readStoredTrees(store: Store, repoId: number): Promise<StoredRepositoryTrees | null> {
  const stored = await store.artifacts.get(treesArtifact(repoId));
  if (!stored) return null;
  try {
    return JSON.parse(stored.bytes.toString('utf8')) as StoredRepositoryTrees;
  } catch {
    return null;
  }
}

export async function writeStoredTrees(store: Store, repoId: number, value: StoredRepositoryTrees): Promise<void> {
  const name = treesArtifact(repoId);
  const bytes = Buffer.from(JSON.stringify(value));
  // Compare-and-set: a concurrent writer's newer trees win; learning again is cheap.
  await store.artifacts.put(name, bytes, await store.artifacts.version(name));
}

/** How long a process trusts its copy of a repository's trees before it asks the store for their version again. */
const RECHECK_MS = 10_000;

interface Cached {
  version: number | null;
  stored: StoredRepositoryTrees | null;
  checkedAt: number;
}
const cache = new WeakMap<Store, Map<number, Cached>>();

/**
 * Each repository's learned trees that fit the model (by repository id), for the search engine: read once and kept,
 * with a cheap version check every few seconds so a relearned model is picked up by every process.
 */
export async function repositoryTrees(store: Store, repoIds: Iterable<number>, base: RankerModel): Promise<Map<number, RankerTree[]>> {
  let byRepo = cache.get(store);
  if (!byRepo) {
    byRepo = new Map();
    cache.set(store, byRepo);
  }
  const fingerprint = modelFingerprint(base);
  const out = new Map<number, RankerTree[]>();
  const now = Date.now();
  for (const repoId of new Set(repoIds)) {
    let entry = byRepo.get(repoId);
    if (!entry || now - entry.checkedAt > RECHECK_MS) {
      const version = await store.artifacts.version(treesArtifact(repoId));
      if (!entry || entry.version !== version) {
        entry = { version, stored: version === null ? null : await readStoredTrees(store, repoId), checkedAt: now };
      } else entry.checkedAt = now;
      byRepo.set(repoId, entry);
    }
    if (entry.stored && entry.stored.base === fingerprint) out.set(repoId, entry.stored.trees);
  }
  return out;
}
