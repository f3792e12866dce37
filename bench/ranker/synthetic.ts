/**
 * The eval's side of the ranker's training pairs (src/search/repositoryRanker/pairs.ts): never from the eval's queries or
 * their gold symbols, and the stripped regime as a copy of the tree with the pairs' sentences deleted and committed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from '../../src/core/app.js';
import { repositoryPairs, type TrainingPair, withoutSpans } from '../../src/search/repositoryRanker/pairs.js';
import { EVAL_WORK_DIR, type QueryRow } from '../eval/dataset.js';

export interface SyntheticPair extends TrainingPair {
  /** The answer chunk's lines and the file's content (doc pairs). */
  lines?: { startLine: number; endLine: number; context: string | null };
  content?: string;
}

/** Up to `perRepo` doc pairs and `perRepo / 3` identifier pairs of one repository, none about an eval query. */
export async function syntheticPairs(
  app: App,
  repo: string,
  repoId: number,
  exclude: QueryRow[],
  perRepo: number,
): Promise<SyntheticPair[]> {
  const pairs: SyntheticPair[] = await repositoryPairs(app.store, repo, repoId, {
    perRepo,
    exclude: (c) => exclude.some((q) => q.gold_path === c.path && c.startLine <= q.end_line && c.endLine >= q.start_line),
    excludeQueries: new Set(exclude.map((q) => q.query.toLowerCase())),
  });
  for (const p of pairs) {
    if (!p.deletion) continue;
    const fileId = await app.store.index.fileId(repoId, p.path);
    const chunk = fileId === null ? undefined : (await app.store.index.chunksAt(fileId, 1, 1e9)).find((c) => c.symbol === p.symbol);
    p.content = fileId === null ? undefined : ((await app.store.index.fileContent(fileId)) ?? undefined);
    if (chunk) p.lines = { startLine: chunk.startLine, endLine: chunk.endLine, context: chunk.context };
  }
  return pairs;
}

/** A copy of `source` (a git work tree) with the pairs' sentences deleted and committed; its path. */
export function strippedTree(source: string, repo: string, pairs: TrainingPair[], suffix = ''): string {
  const dir = join(EVAL_WORK_DIR, `train-stripped${suffix}`, repo);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, '..'), { recursive: true });
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'train',
    GIT_AUTHOR_EMAIL: 't@example.com',
    GIT_COMMITTER_NAME: 'train',
    GIT_COMMITTER_EMAIL: 't@example.com',
  };
  execFileSync('git', ['clone', '-q', '--shared', source, dir], { env });
  const byFile = new Map<string, { start: number; end: number }[]>();
  for (const p of pairs) if (p.deletion) byFile.set(p.path, [...(byFile.get(p.path) ?? []), p.deletion]);
  for (const [path, spans] of byFile) {
    const file = join(dir, path);
    if (existsSync(file)) writeFileSync(file, withoutSpans(readFileSync(file, 'utf8'), spans));
  }
  execFileSync('git', ['add', '-A'], { cwd: dir, env });
  execFileSync('git', ['commit', '-q', '-m', `train: strip ${pairs.length} sentences`], { cwd: dir, env });
  return dir;
}
