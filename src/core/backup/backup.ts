import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import { dumpPostgresStore, snapshotSqliteStore, storedClonePath } from '../../store/index.js';
import type { RequestContext } from '../context.js';

import {
  MANIFESTS_PREFIX,
  type Manifest,
  type ManifestItem,
  manifestKey,
  newBackupId,
  OBJECTS_PREFIX,
  parseManifest,
  sha256File,
} from './manifest.js';
import { type BackupTarget, openBackupTarget } from './target.js';
import { type HeldMarker, holdMarker, PENDING_PREFIX, PRUNING_PREFIX, readMarkers, waitWhilePruning } from './targetMarkers.js';

export interface BackupOptions {
  /** A folder or s3://bucket/prefix. */
  to: string;
  /** Keep the newest N backups in the target (this one included); older ones and objects only they used are deleted. */
  keep?: number;
  /** Compute everything (snapshot, bundles, sizes) but write nothing to the target. */
  dryRun?: boolean;
  /** This gitlore's version, recorded in the manifest. */
  version?: string;
  /** An already opened target (tests, the scheduler); opened from `to` otherwise. */
  target?: BackupTarget;
}

export interface BackupReportItem {
  kind: ManifestItem['kind'];
  name: string;
  size: number;
  sha256: string;
  /** Not uploaded again: an earlier backup in this target holds the same object. */
  reused: boolean;
}

export interface BackupReport {
  id: string;
  target: string;
  dryRun: boolean;
  createdAt: string;
  items: BackupReportItem[];
  /** Bytes uploaded (or, with --dry-run, that would be). */
  writtenBytes: number;
  reusedBytes: number;
  /** Repositories not backed up: clones outside the repos folder or not cloned yet (sync brings them back). */
  skipped: string[];
  /** Clones that could not be bundled (a damaged clone): the backup holds the rest; restore marks these for sync. */
  failed: { repo: string; error: string }[];
  /** Backups deleted by --keep. */
  removed: string[];
  tookMs: number;
}

export type BackupEvent =
  | { type: 'backup-phase'; label: string; total: number }
  | { type: 'backup-item'; name: string; size: number; reused: boolean }
  | { type: 'backup-failed'; name: string; error: string };

/**
 * Backs up the database (a consistent snapshot taken while serving), the clones (one git bundle per repository,
 * not uploaded again when its refs are unchanged since the newest backup in the target) and the manifest, last, so a
 * backup cut short has no manifest and restore never sees it. HNSW graph files are not included: they are rebuilt
 * from the vectors in the database; the learned embedding model is in the database's artifacts and comes with it.
 */
export async function createBackup(options: BackupOptions, ctx: RequestContext): Promise<BackupReport> {
  const started = performance.now();
  const { config, store, git } = ctx.services;
  if (options.keep !== undefined && (!Number.isInteger(options.keep) || options.keep < 1)) {
    throw new GitloreError(ERROR_CODES.USAGE, `--keep must be a whole number of backups, 1 or more (got ${options.keep}).`);
  }
  const target =
    options.target ??
    (await openBackupTarget(options.to, { cwd: config.cwd, s3: { endpoint: config.s3EndpointUrl, region: config.awsRegion } }));
  const emit = (event: BackupEvent) => ctx.emit(event);
  const now = new Date();
  const id = newBackupId(now);
  mkdirSync(config.indexPath, { recursive: true });
  const stage = mkdtempSync(join(config.indexPath, '.backup-'));
  // Before anything is uploaded or chosen for reuse: a prune of this target that starts later sees this backup and
  // deletes no object; one already running is waited for (see pruneBackups). Released in the `finally` below.
  let pending: HeldMarker | null = null;
  const items: ManifestItem[] = [];
  const manifest: Manifest = {
    format: 1,
    gitloreVersion: options.version ?? 'unknown',
    id,
    createdAt: now.toISOString(),
    backend: config.databaseUrl ? 'postgres' : 'sqlite',
    items,
    external: [],
    empty: [],
  };
  const failed: BackupReport['failed'] = [];
  let previous: Manifest | null = null;
  let existingObjects = new Set<string>();
  let writtenBytes = 0;
  let reusedBytes = 0;
  const put = async (item: ManifestItem, localPath: string) => {
    const reused = existingObjects.has(item.key);
    if (!reused && !options.dryRun) await target.putFile(item.key, localPath, ctx.signal);
    existingObjects.add(item.key);
    item.reused = reused;
    if (reused) reusedBytes += item.size;
    else writtenBytes += item.size;
    items.push(item);
    emit({ type: 'backup-item', name: item.name, size: item.size, reused });
  };
  try {
    if (!options.dryRun) pending = await holdMarker(target, `${PENDING_PREFIX}${id}.json`);
    if (pending)
      await waitWhilePruning(target, ctx.signal, () =>
        emit({ type: 'backup-phase', label: 'waiting for a prune of the target', total: 0 }),
      );
    previous = await newestManifest(target);
    existingObjects = new Set(await target.list(OBJECTS_PREFIX));
    emit({ type: 'backup-phase', label: 'snapshotting the database', total: 0 });
    const dbFile = join(stage, config.databaseUrl ? 'postgres.dump' : 'gitlore.db');
    if (config.databaseUrl) await dumpPostgresStore(config.databaseUrl, dbFile, { binDir: config.pgBinDir, signal: ctx.signal });
    else await snapshotSqliteStore(config.dbPath, dbFile);
    ctx.signal.throwIfAborted();
    const dbSha = await sha256File(dbFile);
    await put(
      {
        kind: 'database',
        name: manifest.backend,
        path: config.databaseUrl ? 'postgres.dump' : 'index/gitlore.db',
        key: `${OBJECTS_PREFIX}${dbSha}`,
        size: statSync(dbFile).size,
        sha256: dbSha,
      },
      dbFile,
    );
    const repos = await store.repos.list();
    emit({ type: 'backup-phase', label: 'bundling the clones', total: repos.length });
    const earlier = new Map(previous?.items.filter((i) => i.kind === 'clone').map((i) => [i.path, i]));
    for (const repo of repos) {
      ctx.signal.throwIfAborted();
      const path = repo.localPath ? storedClonePath(config.reposPath, repo.localPath) : null;
      if (!repo.localPath || !path || isAbsolute(path) || !git.looksLikeClone(repo.localPath)) {
        manifest.external.push(repo.name);
        continue;
      }
      const dir = repo.localPath;
      const refs = (await git.runGit(['-C', dir, 'for-each-ref', '--format=%(objectname) %(refname)'])).stdout;
      const head = (
        await git
          .runGit(['-C', dir, 'symbolic-ref', '-q', 'HEAD'])
          .catch(() => git.runGit(['-C', dir, 'rev-parse', '--verify', '-q', 'HEAD']))
          .catch(() => ({ stdout: '' }))
      ).stdout.trim();
      const origin = (await git.runGit(['-C', dir, 'remote', 'get-url', 'origin']).catch(() => ({ stdout: '' }))).stdout.trim() || null;
      if (!refs.trim()) {
        manifest.empty.push({ name: repo.name, path, origin });
        continue;
      }
      const refsDigest = createHash('sha256').update(`${head}\n${refs}`).digest('hex');
      const before = earlier.get(path);
      if (before && before.refsDigest === refsDigest && existingObjects.has(before.key)) {
        await put({ ...before, name: repo.name, origin, head }, '');
        continue;
      }
      const bundle = join(stage, `${repo.id}.bundle`);
      try {
        await git.runGit(['-C', dir, 'bundle', 'create', '--quiet', bundle, '--all'], { signal: ctx.signal });
      } catch (error) {
        // A damaged clone (a missing object, a vanished alternate) must not cost the backup of everything else.
        ctx.signal.throwIfAborted();
        failed.push({ repo: repo.name, error: (error as Error).message });
        manifest.external.push(repo.name);
        emit({ type: 'backup-failed', name: repo.name, error: (error as Error).message });
        continue;
      }
      const sha = await sha256File(bundle);
      await put(
        {
          kind: 'clone',
          name: repo.name,
          path,
          key: `${OBJECTS_PREFIX}${sha}`,
          size: statSync(bundle).size,
          sha256: sha,
          refsDigest,
          head,
          origin,
        },
        bundle,
      );
      rmSync(bundle, { force: true });
    }
    ctx.signal.throwIfAborted();
    // Last: a backup without its manifest does not exist for restore.
    if (!options.dryRun) await target.putText(manifestKey(id), `${JSON.stringify(manifest, null, 2)}\n`);
    // The manifest now names every object: this backup no longer needs its marker, and its own prune must not see it.
    await pending?.release();
    const removed = options.keep && !options.dryRun ? (await pruneBackups(target, options.keep, id)).removed : [];
    return {
      id,
      target: target.url,
      dryRun: options.dryRun === true,
      createdAt: manifest.createdAt,
      items: items.map((i) => ({ kind: i.kind, name: i.name, size: i.size, sha256: i.sha256, reused: i.reused === true })),
      writtenBytes,
      reusedBytes,
      skipped: manifest.external.filter((name) => !failed.some((f) => f.repo === name)),
      failed,
      removed,
      tookMs: Math.round(performance.now() - started),
    };
  } finally {
    rmSync(stage, { recursive: true, force: true });
    await pending?.release().catch(() => {});
  }
}

/** The ids of complete backups in the target (those with a manifest), oldest first. */
export async function listBackupIds(target: BackupTarget): Promise<string[]> {
  return (await target.list(MANIFESTS_PREFIX))
    .filter((key) => key.endsWith('.json'))
    .map((key) => key.slice(MANIFESTS_PREFIX.length, -'.json'.length))
    .sort();
}

/** The newest backup's manifest, or null when the target holds none. */
export async function newestManifest(target: BackupTarget): Promise<Manifest | null> {
  const id = (await listBackupIds(target)).at(-1);
  if (!id) return null;
  const text = await target.getText(manifestKey(id));
  return text === null ? null : parseManifest(text, `${target.url}/${manifestKey(id)}`);
}

export interface PruneReport {
  /** Backups whose manifests were deleted. */
  removed: string[];
  /** Objects deleted: named by no remaining manifest. */
  deletedObjects: number;
  /** True when a backup was in progress: its objects are not named by a manifest yet, so none was deleted this time. */
  objectsDeferred: boolean;
}

/**
 * Deletes the oldest backups beyond `keep` (never `current`), then the objects no remaining manifest names — unless
 * a backup is in progress in the target. A backup writes `pending/<id>.json` before it chooses or uploads any
 * object and deletes it once its manifest is written; a prune writes `pruning/<random>.json` first, then looks for
 * pending markers, and deletes no object while a live one exists; a backup that starts meanwhile finds the pruning
 * marker and waits until it is gone before it lists the objects it may reuse. Whichever of the two writes its
 * marker first, the other sees it (every listing of S3 and of a folder shows writes that completed before it), so an
 * object a running backup uploaded or chose to reuse is never deleted; the next prune deletes what this one left.
 * Markers not refreshed for STALE_MARKER_MS are a dead process's: ignored and deleted.
 */
export async function pruneBackups(target: BackupTarget, keep: number, current?: string): Promise<PruneReport> {
  const marker = await holdMarker(target, `${PRUNING_PREFIX}${newBackupId()}.json`);
  try {
    const ids = await listBackupIds(target);
    const others = ids.filter((id) => id !== current);
    const removed = others.slice(0, Math.max(0, others.length - (current ? keep - 1 : keep)));
    await target.remove(removed.map(manifestKey));
    const pending = await readMarkers(target, PENDING_PREFIX);
    await target.remove(pending.stale);
    if (pending.live.length > 0) return { removed, deletedObjects: 0, objectsDeferred: true };
    const referenced = new Set<string>();
    for (const id of await listBackupIds(target)) {
      const text = await target.getText(manifestKey(id));
      if (text === null) continue;
      for (const item of parseManifest(text, manifestKey(id)).items) referenced.add(item.key);
    }
    const unused = (await target.list(OBJECTS_PREFIX)).filter((key) => !referenced.has(key));
    await target.remove(unused);
    const stalePrunes = (await readMarkers(target, PRUNING_PREFIX)).stale;
    await target.remove(stalePrunes);
    return { removed, deletedObjects: unused.length, objectsDeferred: false };
  } finally {
    await marker.release();
  }
}
