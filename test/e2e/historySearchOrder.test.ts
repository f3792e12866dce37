import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createContext, type RequestContext } from '../../src/core/context.js';
import { searchCode } from '../../src/core/searchCode.js';
import { createServices, type Services } from '../../src/core/services.js';
import { ingestHistory } from '../../src/history/index.js';
import { silentLogger } from '../../src/shared/logger.js';
import { commitFiles, git, makeRepo, tempDir } from '../helpers/git.js';

/**
 * Rebased work: the commits' author dates are not in the order git lists them (each commit's author date is older
 * than its parent's; commit dates go forward). order:newest / order:oldest follow `git log`'s order, as
 * `gitlore log` does, and two repositories are interleaved by author date.
 */
let services: Services;
let ctx: RequestContext;
const dirs: Record<string, string> = {};

function dated(author: string, committer: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_AUTHOR_NAME: 'A',
    GIT_AUTHOR_EMAIL: 'a@example.com',
    GIT_COMMITTER_NAME: 'A',
    GIT_COMMITTER_EMAIL: 'a@example.com',
    GIT_AUTHOR_DATE: author,
    GIT_COMMITTER_DATE: committer,
  };
}

beforeAll(async () => {
  const root = tempDir('gitlore-history-order-');
  dirs.api = join(root, 'api');
  dirs.web = join(root, 'web');
  makeRepo(dirs.api, { 'a.ts': 'start\n' }, 'initial');
  let text = 'start\n';
  // Author dates 2024-01-10, 09, …, 06; commit dates one day apart going forward.
  for (let n = 0; n < 5; n++) {
    text += `retryPolicy(${n});\n`;
    commitFiles(dirs.api, { 'a.ts': text }, `Use retry number ${n}`, dated(`2024-01-${10 - n}T12:00:00Z`, `2024-02-0${n + 1}T12:00:00Z`));
  }
  makeRepo(dirs.web, { 'b.ts': 'start\n' }, 'initial');
  commitFiles(dirs.web, { 'b.ts': 'retryPolicy(1);\n' }, 'Use retry in web', dated('2024-01-05T12:00:00Z', '2024-03-01T12:00:00Z'));
  commitFiles(dirs.web, { 'b.ts': 'retryPolicy(2);\n' }, 'Use retry again', dated('2024-01-07T18:00:00Z', '2024-03-02T12:00:00Z'));
  services = await createServices(loadConfig({ env: { GITLORE_DATA_DIR: join(root, 'data'), GITLORE_EMBEDDINGS: 'none' }, cwd: root }), {
    log: silentLogger,
    embedder: null,
  });
  for (const [name, dir] of Object.entries(dirs)) {
    const repo = await services.store.repos.upsert({
      name,
      sourceType: 'local',
      sourceKey: name,
      fullName: name,
      cloneUrl: dir,
      localPath: dir,
    });
    await ingestHistory({ store: services.store, log: silentLogger }, repo);
  }
  ctx = createContext(services);
});

afterAll(async () => {
  await services.close();
});

const gitLog = (repo: string, args: string[]) => git(dirs[repo]!, ['log', '--no-merges', '--format=%H', ...args]).split('\n');

describe('date-ordered history search', () => {
  it('type:diff order:newest / order:oldest list one repository in git log order, page by page', async () => {
    const diffs = async (query: string) => ((await searchCode({ query, limit: 50 }, ctx)).diffs ?? []).map((d) => d.hash);
    const byG = gitLog('api', ['-G', 'retryPolicy']);
    expect(byG).toHaveLength(5);
    expect(await diffs('type:diff retryPolicy repo:api order:newest')).toEqual(byG);
    expect(await diffs('type:diff +retryPolicy repo:api order:oldest')).toEqual([...byG].reverse());
    // A page is the start of the whole list: the first to add it is git's last.
    expect(await diffs('type:diff +retryPolicy repo:api order:oldest count:1')).toEqual(byG.slice(-1));
    expect(await diffs('type:diff retryPolicy repo:api order:newest count:2')).toEqual(byG.slice(0, 2));
  });

  it('type:commit order:newest / order:oldest list one repository in git log --grep order', async () => {
    const commits = async (query: string) => ((await searchCode({ query, limit: 50 }, ctx)).commits ?? []).map((c) => c.hash);
    const byGrep = gitLog('api', ['-i', '--grep=retry']);
    expect(byGrep).toHaveLength(5);
    expect(await commits('type:commit retry repo:api order:newest')).toEqual(byGrep);
    expect(await commits('type:commit retry repo:api order:oldest')).toEqual([...byGrep].reverse());
    expect(await commits('type:commit retry repo:api order:newest count:2')).toEqual(byGrep.slice(0, 2));
  });

  it('interleaves repositories by author date, each in its own git order', async () => {
    const hits = ((await searchCode({ query: 'type:diff retryPolicy order:newest', limit: 50 }, ctx)).diffs ?? []).map((d) => d.hash);
    const api = gitLog('api', ['-G', 'retryPolicy']);
    const web = gitLog('web', ['-G', 'retryPolicy']);
    // In git order, api's author dates are 06, 07, 08, 09, 10 and web's 07 (evening), 05: web's newer head comes
    // first, then api's whole list, whose every head is newer than web's last.
    expect(api).toHaveLength(5);
    expect(web).toHaveLength(2);
    expect(hits).toEqual([web[0], ...api, web[1]]);
  });
});
