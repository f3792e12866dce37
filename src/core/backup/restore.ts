import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import type { ResolvedConfig } from '../../config/index.js';
import { looksLikeClone, runGit } from '../../git/index.js';
import { ERROR_CODES, GitloreError } from '../../shared/errors.js';
import { assertEmptyPostgresStore, openStore, restorePostgresStore } from '../../store/index.js';
import { listBackupIds } from './backup.js';
import { type Manifest, manifestKey, parseManifest, sha256File } from './manifest.js';
import { type BackupTarget, openBackupTarget } from './target.js';

export interface RestoreOptions {
  /** A folder or s3://bucket/prefix. */
  from: string;
  /** The backup to restore (its id); the newest complete one when absent. */
  id?: string;
  target?: BackupTarget;
  signal?: AbortSignal;
  onEvent?: (event: RestoreEvent) => void;
}

export type RestoreEvent = { type: 'restore-phase'; label: string; total: number } | { type: 'restore-item'; name: string };

export interface RestoreReport {
  id: string;
  from: string;
  createdAt: string;
  gitloreVersion: string;
  database: string;
  clones: number;
  bytes: number;
  /** Repositories whose index did not agree with their clone: marked for re-index (`gitlore index` rebuilds them). */
  reindex: { repo: string; reason: string }[];
  /** Repositories whose clone was not in the backup (outside the repos folder, or not cloned): `gitlore sync` brings them back. */
  resync: string[];
  tookMs: number;
}

/**
 * Restores a backup into an empty data folder. Every object is fetched and its sha256 checked before anything
 * is built; the database and clones are assembled in folders beside their final places and renamed there at the end,
 * so a failure leaves the data folder as it was. Then the database, clones and index are checked against each
 * other: a repository marked indexed whose clone, commit or index rows are missing is marked for re-index.
 */
export async function restoreBackup(config: ResolvedConfig, options: RestoreOptions): Promise<RestoreReport> {
  const started = performance.now();
  const emit = options.onEvent ?? (() => {});
  const signal = options.signal ?? new AbortController().signal;
  for (const folder of [config.dataDir, config.indexPath, config.reposPath]) assertEmpty(folder);
  const target =
    options.target ??
    (await openBackupTarget(options.from, { cwd: config.cwd, s3: { endpoint: config.s3EndpointUrl, region: config.awsRegion } }));
  const ids = await listBackupIds(target);
  const id = options.id ?? ids.at(-1);
  if (!id || !ids.includes(id)) {
    throw new GitloreError(
      ERROR_CODES.BACKUP_INVALID,
      id ? `There is no complete backup ${id} in ${target.url}.` : `There is no complete backup (no manifest) in ${target.url}.`,
      { hint: 'Check the location: `gitlore backup --to` writes backups/<id>.json there last, once every object is written.' },
    );
  }
  const text = await target.getText(manifestKey(id));
  if (text === null) throw new GitloreError(ERROR_CODES.BACKUP_INVALID, `The manifest of backup ${id} vanished from ${target.url}.`);
  const manifest = parseManifest(text, `${target.url}/${manifestKey(id)}`);
  if (manifest.backend === 'postgres' && !config.databaseUrl) {
    throw new GitloreError(ERROR_CODES.CONFIG_INVALID, `Backup ${id} is of a PostgreSQL store, and DATABASE_URL is not set.`, {
      hint: 'Set DATABASE_URL to a new, empty database to restore it into.',
    });
  }
  if (manifest.backend === 'sqlite' && config.databaseUrl) {
    throw new GitloreError(ERROR_CODES.CONFIG_INVALID, `Backup ${id} is of a SQLite store, and DATABASE_URL is set.`, {
      hint: 'Unset DATABASE_URL to restore it (then `gitlore migrate --to` copies it into PostgreSQL).',
    });
  }

  if (config.databaseUrl) await assertEmptyPostgresStore(config.databaseUrl);

  const suffix = `.restore-${randomBytes(4).toString('hex')}`;
  const staged = stagedPlaces(config, suffix);
  const indexStage = staged.stageOf(config.indexPath);
  const reposStage = staged.stageOf(config.reposPath);
  const incoming = join(indexStage, '.incoming');
  let moved = false;
  try {
    mkdirSync(incoming, { recursive: true });
    mkdirSync(reposStage, { recursive: true });
    emit({ type: 'restore-phase', label: 'fetching and checking every object', total: manifest.items.length });
    const fetched = await fetchAndVerify(target, manifest, incoming, signal, emit);

    emit({ type: 'restore-phase', label: 'restoring the database and clones', total: manifest.items.length });
    const database = manifest.items.find((i) => i.kind === 'database');
    const dbPath = join(indexStage, basename(config.dbPath));
    if (!config.databaseUrl) renameSync(join(incoming, database?.sha256 ?? ''), dbPath);
    for (const item of manifest.items.filter((i) => i.kind === 'clone')) {
      signal.throwIfAborted();
      const dir = join(reposStage, ...item.path.split('/'));
      await runGit(['init', '--quiet', dir]);
      await runGit(['-C', dir, 'fetch', '--quiet', '--update-head-ok', join(incoming, item.sha256), '+refs/*:refs/*'], { signal });
      if (item.head?.startsWith('refs/')) await runGit(['-C', dir, 'symbolic-ref', 'HEAD', item.head]);
      else if (item.head) await runGit(['-C', dir, 'update-ref', '--no-deref', 'HEAD', item.head]);
      if (item.origin) await runGit(['-C', dir, 'remote', 'add', 'origin', item.origin]);
      await runGit(['-C', dir, 'reset', '--quiet', '--hard']).catch(() => {});
      emit({ type: 'restore-item', name: item.name });
    }
    for (const empty of manifest.empty) {
      const dir = join(reposStage, ...empty.path.split('/'));
      await runGit(['init', '--quiet', dir]);
      if (empty.origin) await runGit(['-C', dir, 'remote', 'add', 'origin', empty.origin]);
    }
    if (config.databaseUrl) {
      // Last of the restore's steps that can fail for reasons of the backup: pg_restore runs in one transaction.
      emit({ type: 'restore-phase', label: 'restoring the database with pg_restore', total: 0 });
      await restorePostgresStore(config.databaseUrl, join(incoming, database?.sha256 ?? ''), { binDir: config.pgBinDir, signal });
    }
    rmSync(incoming, { recursive: true, force: true });

    emit({ type: 'restore-phase', label: 'checking that database, clones and index agree', total: 0 });
    const { reindex, resync } = await reconcile(
      config.databaseUrl ? { databaseUrl: config.databaseUrl, dbPath, reposPath: reposStage } : { dbPath, reposPath: reposStage },
    );

    for (const { stage, final } of staged.roots) {
      if (existsSync(final)) rmdirSync(final);
      mkdirSync(dirname(final), { recursive: true });
      renameSync(stage, final);
    }
    moved = true;
    return {
      id,
      from: target.url,
      createdAt: manifest.createdAt,
      gitloreVersion: manifest.gitloreVersion,
      database: config.databaseUrl ? 'postgres' : config.dbPath,
      clones: manifest.items.filter((i) => i.kind === 'clone').length,
      bytes: fetched,
      reindex,
      resync,
      tookMs: Math.round(performance.now() - started),
    };
  } finally {
    if (!moved) for (const { stage } of staged.roots) rmSync(stage, { recursive: true, force: true });
  }
}

/**
 * Where the restore is assembled: `<data dir>.restore-…` beside the data dir when the index and repos folders are
 * inside it (the default), else one `<folder>.restore-…` beside each; each is renamed onto its place at the end.
 */
function stagedPlaces(config: ResolvedConfig, suffix: string) {
  const inside = (path: string) => {
    const rel = relative(config.dataDir, path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  };
  const rootOf = (path: string) => (inside(path) ? config.dataDir : path);
  const roots = [...new Set([rootOf(config.indexPath), rootOf(config.reposPath)])].map((final) => ({ final, stage: `${final}${suffix}` }));
  return {
    roots,
    stageOf(path: string): string {
      const root = rootOf(path);
      return join(`${root}${suffix}`, relative(root, path));
    },
  };
}

function assertEmpty(folder: string): void {
  if (!existsSync(folder)) return;
  if (!statSync(folder).isDirectory() || readdirSync(folder).length > 0) {
    throw new GitloreError(ERROR_CODES.BACKUP_INVALID, `Cannot restore into ${folder}: it is not an empty folder.`, {
      hint: 'Restore into a new data folder (--data-dir or GITLORE_DATA_DIR), or move this one away first.',
    });
  }
}

/** Copies each distinct object into `dir` as `<sha256>` and checks its size and checksum; the bytes fetched. */
async function fetchAndVerify(
  target: BackupTarget,
  manifest: Manifest,
  dir: string,
  signal: AbortSignal,
  emit: (event: RestoreEvent) => void,
): Promise<number> {
  let bytes = 0;
  const seen = new Set<string>();
  for (const item of manifest.items) {
    signal.throwIfAborted();
    if (seen.has(item.sha256)) continue;
    seen.add(item.sha256);
    const file = join(dir, item.sha256);
    const where = `${item.kind === 'database' ? 'the database' : `the clone of ${item.name}`} (${target.url}/${item.key})`;
    if (!(await target.getFile(item.key, file, signal))) {
      throw new GitloreError(ERROR_CODES.BACKUP_INVALID, `Backup ${manifest.id} is incomplete: ${where} is missing.`, {
        hint: 'Restore an older backup with --id (its ids are the names under backups/), or take a new backup.',
      });
    }
    const size = statSync(file).size;
    const sha = await sha256File(file);
    if (size !== item.size || sha !== item.sha256) {
      throw new GitloreError(ERROR_CODES.BACKUP_INVALID, `Backup ${manifest.id} is corrupt: ${where} does not match its checksum.`, {
        hint: 'Restore an older backup with --id (its ids are the names under backups/), or take a new backup.',
      });
    }
    bytes += size;
    emit({ type: 'restore-item', name: item.name });
  }
  return bytes;
}

/**
 * Marks for re-index every repository the index calls done whose clone is missing, lacks the indexed commit, or
 * whose index rows are gone: the index is rebuilt by the next `gitlore index` (or `serve`), never left silently empty.
 */
async function reconcile(place: {
  dbPath: string;
  reposPath: string;
  databaseUrl?: string;
}): Promise<{ reindex: RestoreReport['reindex']; resync: string[] }> {
  const store = await openStore({ ...place, vectorIndexDir: join(dirname(place.dbPath), 'vectors') });
  const reindex: RestoreReport['reindex'] = [];
  const resync: string[] = [];
  try {
    for (const repo of await store.repos.list()) {
      const cloned = repo.localPath !== null && looksLikeClone(repo.localPath);
      if (!cloned) resync.push(repo.name);
      const state = await store.index.getState(repo.id);
      if (!state?.commit) continue;
      let reason: string | null = null;
      if (!cloned) reason = 'clone missing';
      else if (
        !(await runGit(['-C', repo.localPath as string, 'cat-file', '-e', `${state.commit}^{commit}`])
          .then(() => true)
          .catch(() => false))
      )
        reason = `indexed commit ${state.commit.slice(0, 12)} not in the clone`;
      else if ((await store.index.stats(repo.id, null)).files === 0) reason = 'index rows missing';
      if (reason) {
        await store.index.setState(repo.id, { commit: null, status: 'pending' });
        reindex.push({ repo: repo.name, reason });
      }
    }
  } finally {
    await store.close();
  }
  return { reindex, resync };
}
