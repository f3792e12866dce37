import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/core/app.js';
import { createContext } from '../../src/core/context.js';
import { indexRepos } from '../../src/core/indexRepos.js';
import { search } from '../../src/search/engine.js';
import { hashedEmbedder } from '../helpers/embedders.js';
import { git, makeRepo, tempDir } from '../helpers/git.js';
import { servicesWithRepo } from '../helpers/repoServices.js';

// Two getters with the same body, as in an HTTP framework's request object: only the sentence's wording tells them apart.
const REQUEST = `module.exports = {
  get header() {
    return this.req.headers;
  },

  set header(val) {
    this.req.headers = val;
  },

  get headers() {
    return this.req.headers;
  },

  set headers(val) {
    this.req.headers = val;
  },
};
`;

let app: App;
let repoDir: string;
const embedder = hashedEmbedder();

beforeAll(async () => {
  const root = tempDir('gitlore-refs-');
  repoDir = join(root, 'web');
  makeRepo(repoDir, { 'lib/request.js': REQUEST });
  app = await servicesWithRepo(join(root, 'data'), {
    name: 'web',
    sourceType: 'local',
    sourceKey: 'manual',
    fullName: 'web',
    cloneUrl: repoDir,
    localPath: repoDir,
  });
  await indexRepos({ embedder, skipHistory: true }, createContext(app));
});

afterAll(async () => {
  await app.store.close();
});

async function first(query: string) {
  const repos = [{ id: 1, name: 'web', htmlUrl: null, commit: git(repoDir, ['rev-parse', 'HEAD']) }];
  const deps = { store: app.store, embedder: async () => embedder };
  const hits = await search(deps, { query, mode: 'hybrid', limit: 5, repos });
  return hits[0]?.symbol;
}

describe('a sentence that points to another definition', () => {
  it('ranks the definition it describes above the one it names as an alias', async () => {
    expect(await first('Return request header')).toMatch(/\bheader$/);
    expect(await first('Return request header, alias as request.header')).toMatch(/\bheaders$/);
    expect(await first('Set request header, alias as `header`')).toMatch(/\bheaders$/);
  });
});
