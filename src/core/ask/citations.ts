import type { RequestContext } from '../context.js';
import { getFile } from '../files.js';
import { getCommitDetail } from '../history.js';
import { visibleRepos } from '../repoGate.js';

export interface FileCitation {
  repo: string;
  path: string;
  startLine: number;
  endLine: number;
  url?: string;
}

export interface CommitCitation {
  repo: string;
  hash: string;
  subject: string;
}

export interface CheckedCitations {
  citations: FileCitation[];
  commits: CommitCitation[];
  /** Citations in the answer that name no file range or commit gitlore can find: dropped. */
  dropped: number;
}

/** `repo/path/to/file.ts:12-30` (or `:12`), as the system prompt asks the model to cite. */
const FILE_CITATION = /(?<![\w/.-])([\w.-]+)\/([\w./@+-]+):(\d+)(?:-(\d+))?/g;
/** `repo@abc1234` for a commit. */
const COMMIT_CITATION = /(?<![\w/.-])([\w.-]+)@([0-9a-f]{7,40})\b/g;

/**
 * Every citation of an answer checked against the repositories the asker can see: a file range must
 * exist at the synced HEAD with its lines in range, a commit must exist in that repository. What
 * fails is dropped and counted, never shown.
 */
export async function checkCitations(answer: string, ctx: RequestContext): Promise<CheckedCitations> {
  const repos = new Map((await visibleRepos(ctx)).map((r) => [r.name.toLowerCase(), r]));
  const citations: FileCitation[] = [];
  const commits: CommitCitation[] = [];
  const seen = new Set<string>();
  // Each file is read once however many of its ranges are cited.
  const files = new Map<string, ReturnType<typeof getFile>>();
  let dropped = 0;
  for (const m of answer.matchAll(FILE_CITATION)) {
    const [whole, repoName = '', path = '', start = '0', end] = m;
    if (seen.has(whole)) continue;
    seen.add(whole);
    const repo = repos.get(repoName.toLowerCase());
    const startLine = Number(start);
    const endLine = Number(end ?? start);
    if (!repo) {
      // `src/app.ts:10` without a repository name is not a citation gitlore can check.
      if (repos.size > 0) dropped += 1;
      continue;
    }
    try {
      const key = `${repo.name}\0${path}`;
      if (!files.has(key)) files.set(key, getFile({ repo: repo.name, path, startLine: 1, endLine: 1 }, ctx));
      const file = await (files.get(key) as ReturnType<typeof getFile>);
      if (startLine < 1 || endLine < startLine || endLine > file.totalLines) throw new Error('out of range');
      citations.push({
        repo: repo.name,
        path,
        startLine,
        endLine,
        ...(repo.htmlUrl ? { url: `${repo.htmlUrl}/blob/${file.commit}/${path}#L${startLine}-L${endLine}` } : {}),
      });
    } catch {
      ctx.signal.throwIfAborted();
      dropped += 1;
    }
  }
  for (const m of answer.matchAll(COMMIT_CITATION)) {
    const [whole, repoName = '', hash = ''] = m;
    if (seen.has(whole)) continue;
    seen.add(whole);
    const repo = repos.get(repoName.toLowerCase());
    try {
      if (!repo) throw new Error('unknown repository');
      const commit = await getCommitDetail({ repo: repo.name, hash }, ctx);
      commits.push({ repo: repo.name, hash: commit.hash, subject: commit.subject });
    } catch {
      ctx.signal.throwIfAborted();
      dropped += 1;
    }
  }
  return { citations, commits, dropped };
}
