import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createContext, type RequestContext } from '../../src/core/context.js';
import { indexRepos } from '../../src/core/indexRepos.js';
import { type SearchCodeParams, type SearchCodeResult, searchCode } from '../../src/core/searchCode.js';
import { createServices, type Services } from '../../src/core/services.js';
import { searchCodeTool } from '../../src/core/tools/searchCode.js';
import { searchCommitsTool, searchDiffsTool } from '../../src/core/tools/searchHistory.js';
import { silentLogger } from '../../src/shared/logger.js';
import { FILTER_NAMES } from '../../src/shared/queryLanguage.js';
import { commitFiles, gitEnv, makeRepo, tempDir } from '../helpers/git.js';

/** The query language over a real index of three small repositories (one private), through core searchCode. */
let services: Services;
let local: RequestContext;
let member: RequestContext;

const GO = `package api

// RetryWithBackoff calls fn until it succeeds: retry with backoff, doubling the delay.
func RetryWithBackoff(fn func() error, attempts int) error {
	var err error
	for i := 0; i < attempts; i++ {
		if err = fn(); err == nil {
			return nil
		}
	}
	return err
}
`;

const GO_TEST = `package api

import "testing"

// TestRetry checks that retry gives up after the attempts.
func TestRetry(t *testing.T) {
	_ = RetryWithBackoff(func() error { return nil }, 3)
}
`;

const PY = `def retry_request(session, url):
    """Retry the request with jitter between attempts."""
    for _ in range(3):
        response = session.get(url)
        if response.ok:
            return response
`;

const TS = `/** Retry a fetch with backoff and jitter. */
export async function retryFetch(url: string): Promise<Response> {
  return fetch(url);
}
`;

const VENDORED = `package lib

// retry helper copied from upstream
func retryOnce() {}
`;

beforeAll(async () => {
  const root = tempDir('gitlore-querylang-');
  const dirs = { api: join(root, 'api'), web: join(root, 'web'), secret: join(root, 'secret') };
  makeRepo(
    dirs.api,
    { 'retry.go': GO, 'retry_test.go': GO_TEST, 'client.py': PY, 'internal/lib/lib.go': VENDORED },
    'Add retry with backoff',
  );
  commitFiles(
    dirs.api,
    { 'NOTES.md': '# notes\n' },
    'Fix timeout in the client\n\nThe client waited forever.',
    gitEnv('2024-03-01T09:00:00+00:00', 'Bob Builder', 'bob@example.com'),
  );
  makeRepo(dirs.web, { 'src/retry.ts': TS });
  makeRepo(dirs.secret, { 'retry.go': GO.replace('package api', 'package secret') });
  services = await createServices(loadConfig({ env: { GITLORE_DATA_DIR: join(root, 'data'), GITLORE_EMBEDDINGS: 'none' }, cwd: root }), {
    log: silentLogger,
    embedder: null,
  });
  for (const [name, dir] of Object.entries(dirs)) {
    await services.store.repos.upsert({
      name,
      sourceType: 'github',
      sourceKey: 'github:org/acme',
      fullName: `acme/${name}`,
      cloneUrl: dir,
      localPath: dir,
      htmlUrl: `https://github.com/acme/${name}`,
      isPrivate: name === 'secret',
    });
  }
  local = createContext(services);
  const report = await indexRepos({}, local);
  expect(report.repos.map((r) => r.status)).toEqual(['indexed', 'indexed', 'indexed']);
  const user = await services.store.users.signIn({ provider: 'github', subject: '7' }, { role: 'member', linkByEmail: false });
  member = createContext(services, { principal: { kind: 'user', id: user.id, role: 'member' } });
});

afterAll(async () => {
  await services.close();
});

const run = (query: string, extra: Omit<SearchCodeParams, 'query'> = {}, ctx = local): Promise<SearchCodeResult> =>
  searchCode({ query, limit: 50, ...extra }, ctx);
const repos = (r: SearchCodeResult) => [...new Set(r.results.map((h) => h.repo))].sort();
const paths = (r: SearchCodeResult) => [...new Set(r.results.map((h) => `${h.repo}/${h.path}`))].sort();

/** The full text of a hit's lines, read from the index (the snippet may be shorter). */
async function hitText(hit: SearchCodeResult['results'][number]): Promise<string> {
  const repo = await services.store.repos.get(hit.repo);
  const fileId = await services.store.index.fileId(repo!.id, hit.path);
  const content = (await services.store.index.fileContent(fileId!)) ?? '';
  return content
    .split('\n')
    .slice(hit.startLine - 1, hit.endLine)
    .join('\n');
}

describe('query language in core search', () => {
  it('finds retry in every repository without filters (the baseline the filters narrow)', async () => {
    const all = await run('retry');
    expect(repos(all)).toEqual(['api', 'secret', 'web']);
    expect(paths(all)).toEqual(expect.arrayContaining(['api/retry_test.go', 'api/client.py', 'api/internal/lib/lib.go']));
    expect(all.parsed).toMatchObject({ type: 'code', mode: 'hybrid', text: 'retry', languages: null });
  });

  it('repo: narrows by name, glob and regex; -repo: excludes; --repo and repo: must both hold', async () => {
    expect(repos(await run('repo:api retry'))).toEqual(['api']);
    expect(repos(await run('repo:ACME/WEB retry'))).toEqual(['web']);
    expect(repos(await run('repo:w* retry'))).toEqual(['web']);
    expect(repos(await run('repo:/^(api|web)$/ retry'))).toEqual(['api', 'web']);
    expect(repos(await run('-repo:api retry'))).toEqual(['secret', 'web']);
    expect(repos(await run('repo:api repo:web retry'))).toEqual(['api', 'web']);
    expect(repos(await run('repo:web retry', { repos: ['api', 'web'] }))).toEqual(['web']);
    expect((await run('repo:web retry', { repos: ['api'] })).results).toEqual([]);
    expect((await run('repo:nomatch-* retry')).results).toEqual([]);
    await expect(run('repo:ap retry')).rejects.toMatchObject({
      code: 'REPO_NOT_FOUND',
      message: expect.stringMatching(/^No repository named "ap" \(repo: at column 1\); did you mean api\?/),
    });
  });

  it('repo: never widens what a member may see: a hidden repository is missing, and globs skip it', async () => {
    expect(repos(await run('retry', {}, member))).toEqual(['api', 'web']);
    expect(repos(await run('repo:* retry', {}, member))).toEqual(['api', 'web']);
    expect(repos(await run('repo:/secret/ retry', {}, member))).toEqual([]);
    expect(repos(await run('-repo:api retry', {}, member))).toEqual(['web']);
    const failure = (query: string) =>
      run(query, {}, member).then(
        () => 'found',
        (e: Error) => e.message,
      );
    const hidden = await failure('repo:secret retry');
    const missing = await failure('repo:secrex retry');
    expect(missing).toMatch(/^No repository named "secrex"/);
    expect(hidden).toBe(missing.replace('secrex', 'secret'));
    expect(repos(await run('repo:secret retry'))).toEqual(['secret']);
  });

  it('lang: narrows, -lang: excludes, and --lang with lang: must both hold', async () => {
    const go = await run('lang:go retry');
    expect(go.results.length).toBeGreaterThan(0);
    expect(go.results.every((h) => h.language === 'go')).toBe(true);
    expect(go.parsed.languages).toEqual(['go']);
    const notGo = await run('-lang:go retry');
    expect(notGo.results.map((h) => h.language).sort()).toEqual(expect.arrayContaining(['python', 'typescript']));
    expect(notGo.results.some((h) => h.language === 'go')).toBe(false);
    expect((await run('lang:go retry', { language: 'python' })).results).toEqual([]);
    expect((await run('lang:go lang:python retry', { language: 'python' })).results.every((h) => h.language === 'python')).toBe(true);
  });

  it('file: narrows by glob, folder or regex, -file: excludes, and --path with file: must both hold', async () => {
    expect(paths(await run('file:*_test.go retry'))).toEqual(['api/retry_test.go']);
    expect(paths(await run('path:internal/ retry'))).toEqual(['api/internal/lib/lib.go']);
    expect(paths(await run('file:/\\.py$/ retry'))).toEqual(['api/client.py']);
    const go = paths(await run('lang:go -file:*_test.go -file:internal/ retry'));
    expect(go).toEqual(['api/retry.go', 'secret/retry.go']);
    expect(paths(await run('file:*.go retry', { path: 'internal/' }))).toEqual(['api/internal/lib/lib.go']);
    expect((await run('file:*.py retry', { path: 'internal/' })).results).toEqual([]);
  });

  it('a "phrase" must appear in that sequence; a -term must not appear', async () => {
    const bare = await run('retry with backoff');
    const phrase = await run('"retry with backoff"');
    expect(phrase.results.length).toBeGreaterThan(0);
    expect(phrase.results.length).toBeLessThan(bare.results.length);
    for (const hit of phrase.results) expect((await hitText(hit)).toLowerCase()).toContain('retry with backoff');
    const withJitter = await run('retry');
    expect(await Promise.all(withJitter.results.map(hitText))).toEqual(expect.arrayContaining([expect.stringMatching(/jitter/)]));
    const noJitter = await run('retry -jitter');
    expect(noJitter.results.length).toBeGreaterThan(0);
    for (const hit of noJitter.results) expect(await hitText(hit)).not.toMatch(/jitter/i);
    expect(noJitter.parsed.exclude).toEqual(['jitter']);
  });

  it('in a typed sentence quotes mark a name: its words rank, and content: still filters', async () => {
    // No file holds "exponential delay": as a phrase filter the sentence would find nothing.
    const sentence = 'call the function again until it succeeds with an "exponential delay" between the attempts';
    const prose = await run(sentence);
    expect(prose.results.map((h) => h.path)).toContain('retry.go');
    expect(prose.parsed.phrases).toEqual([]);
    const filtered = await run(`${sentence} content:"exponential delay"`);
    expect(filtered.results).toEqual([]);
    // Fewer than six other words: a keyword query, the phrase filters.
    expect((await run('retry "exponential delay"')).results).toEqual([]);
  });

  it('a OR b needs either in every hit, and finds both', async () => {
    const either = await run('doubling OR jitter');
    const texts = await Promise.all(either.results.map(hitText));
    expect(texts.length).toBeGreaterThan(1);
    for (const text of texts) expect(text).toMatch(/doubling|jitter/i);
    expect(texts.some((t) => /doubling/.test(t))).toBe(true);
    expect(texts.some((t) => /jitter/.test(t))).toBe(true);
    expect(either.parsed.anyOf).toEqual([['doubling', 'jitter']]);
  });

  it('case:yes requires each word in that case', async () => {
    expect((await run('case:yes RETRYWITHBACKOFF')).results).toEqual([]);
    const exact = await run('case:yes RetryWithBackoff');
    expect(exact.results.length).toBeGreaterThan(0);
    for (const hit of exact.results) expect(await hitText(hit)).toContain('RetryWithBackoff');
  });

  it('/regex/ runs a regex search; sym: and type:symbol find definitions; count: limits', async () => {
    const regex = await run('/func Retry\\w+\\(/ -file:*_test.go');
    expect(regex.parsed.mode).toBe('regex');
    expect(regex.results.map((h) => `${h.repo}/${h.path}:${h.startLine}`).sort()).toEqual(['api/retry.go:4', 'secret/retry.go:4']);
    expect(regex.results.every((h) => h.kind === 'match')).toBe(true);
    const caseless = await run('/func retrywithbackoff/ case:no repo:api');
    expect(caseless.results.map((h) => h.path)).toEqual(['retry.go']);
    const sym = await run('sym:RetryWithBackoff repo:api');
    expect(sym.parsed.mode).toBe('symbol');
    expect(sym.results[0]).toMatchObject({ repo: 'api', path: 'retry.go', symbol: 'RetryWithBackoff', kind: 'function' });
    expect((await run('type:symbol retryFetch')).results[0]).toMatchObject({ repo: 'web', symbol: 'retryFetch' });
    expect((await run('retry count:1')).results).toHaveLength(1);
    expect((await run('retry count:2', { limit: 1 })).results).toHaveLength(1);
  });

  it('--mode regex takes the filters out and keeps the rest as the pattern', async () => {
    const out = await run('lang:go func Retry\\w+\\( -file:*_test.go', { mode: 'regex' });
    expect(out.parsed.text).toBe('func Retry\\w+\\(');
    expect(paths(out)).toEqual(['api/retry.go', 'secret/retry.go']);
  });

  it('type:commit searches commit messages and authors, ranked (order:newest for newest first)', async () => {
    const backoff = await run('type:commit backoff');
    expect(backoff.results).toEqual([]);
    expect(backoff.commits).toMatchObject([{ repo: 'api', subject: 'Add retry with backoff', author: 'Test Author' }]);
    expect(backoff.commits?.[0]?.url).toMatch(/^https:\/\/github\.com\/acme\/api\/commit\/[0-9a-f]{40}$/);
    expect((await run('type:commit author:bob')).commits?.map((c) => c.subject)).toEqual(['Fix timeout in the client']);
    expect((await run('type:commit forever')).commits?.map((c) => c.subject)).toEqual(['Fix timeout in the client']);
    expect((await run('type:commit repo:api backoff OR timeout order:newest')).commits?.map((c) => c.subject)).toEqual([
      'Fix timeout in the client',
      'Add retry with backoff',
    ]);
    expect((await run('type:commit repo:api backoff OR timeout order:oldest')).commits?.map((c) => c.subject)).toEqual([
      'Add retry with backoff',
      'Fix timeout in the client',
    ]);
    // Relevance: the shorter message holding a word ranks first (BM25 length normalization), each with its score.
    const ranked = (await run('type:commit repo:api backoff OR timeout')).commits ?? [];
    expect(ranked.map((c) => c.subject)).toEqual(['Add retry with backoff', 'Fix timeout in the client']);
    expect(ranked[0]!.score).toBeGreaterThan(ranked[1]!.score);
    expect((await run('type:commit repo:api retry -backoff')).commits).toEqual([]);
    expect((await run('type:commit "backoff with retry"')).commits).toEqual([]);
    expect((await run('type:commit retry', {}, member)).commits?.map((c) => c.repo)).not.toContain('secret');
    await expect(run('type:commit lang:go retry')).rejects.toMatchObject({
      code: 'QUERY_INVALID',
      message: expect.stringContaining('column 13'),
    });
  });

  it('type:diff finds commits by their added and removed lines, with the lines, and search_diffs / search_commits answer the same', async () => {
    const added = await run('type:diff +RetryWithBackoff repo:api');
    expect(added.results).toEqual([]);
    expect(added.diffs).toMatchObject([{ repo: 'api', subject: 'Add retry with backoff', author: 'Test Author' }]);
    const hit = added.diffs![0]!;
    expect(hit.url).toMatch(/^https:\/\/github\.com\/acme\/api\/commit\/[0-9a-f]{40}$/);
    expect(hit.files.map((f) => f.path).sort()).toEqual(['retry.go', 'retry_test.go']);
    expect(hit.files.find((f) => f.path === 'retry.go')!.lines).toContainEqual({
      kind: '+',
      line: 4,
      text: 'func RetryWithBackoff(fn func() error, attempts int) error {',
    });
    expect(added.parsed.type).toBe('diff');
    // Case and the parts of identifiers: retrywithbackoff is the same token; `backoff` is one of its parts.
    expect((await run('type:diff retrywithbackoff repo:api')).diffs?.map((d) => d.subject)).toEqual(['Add retry with backoff']);
    expect((await run('type:diff removed:RetryWithBackoff')).diffs).toEqual([]);
    expect((await run('type:diff RetryWithBackoff -file:*_test.go repo:api')).diffs?.[0]?.files.map((f) => f.path)).toEqual(['retry.go']);
    expect((await run('type:diff notes author:bob')).diffs?.map((d) => d.subject)).toEqual(['Fix timeout in the client']);
    expect((await run('type:diff RetryWithBackoff', {}, member)).diffs?.map((d) => d.repo)).not.toContain('secret');
    const tool = await searchDiffsTool.execute({ query: 'RetryWithBackoff', repos: ['api'], side: 'added', order: 'oldest' }, local);
    expect(tool.diffs.map((d) => d.hash)).toEqual([hit.hash]);
    expect(searchDiffsTool.toText(tool)).toContain('+4: func RetryWithBackoff');
    expect((await searchDiffsTool.execute({ query: 'RetryWithBackoff', repos: ['api'], side: 'removed' }, local)).diffs).toEqual([]);
    const commits = await searchCommitsTool.execute({ query: '', author: 'bob' }, local);
    expect(commits.commits.map((c) => c.subject)).toEqual(['Fix timeout in the client']);
    await expect(searchDiffsTool.execute({ query: 'type:commit x' }, local)).rejects.toMatchObject({ code: 'QUERY_INVALID' });
  });

  it('refuses what type:diff cannot search, and mode conflicts, at their column', async () => {
    await expect(run('type:diff /retry\\w+/')).rejects.toMatchObject({
      code: 'QUERY_INVALID',
      message: expect.stringMatching(/^type:diff searches the words of added and removed lines at column 11/),
    });
    await expect(run('retry removed:x')).rejects.toMatchObject({
      message: expect.stringMatching(/^added: and removed: need type:diff at column 15/),
    });
    await expect(run('sym:x', { mode: 'lexical' })).rejects.toMatchObject({
      message: expect.stringMatching(/^sym: cannot run with --mode lexical at column 1/),
    });
    await expect(run('/a/', { mode: 'semantic' })).rejects.toMatchObject({ code: 'QUERY_INVALID' });
    await expect(run('repo:api lang:go')).rejects.toMatchObject({ message: 'Nothing to search for at column 17.' });
    await expect(run('x /a(/')).rejects.toMatchObject({
      message: expect.stringMatching(/^A \/regex\/ query takes no other search text at column 1/),
    });
    await expect(run('/a(/')).rejects.toMatchObject({ message: expect.stringMatching(/^Invalid regular expression: .* at column 1/) });
  });

  it('searches pasted text (an issue with a stack trace) as its words, where the same syntax typed is refused', async () => {
    const issue = `retry fails behind the proxy.\nTraceback: File "/srv/api/retry.py", line 3, in retry\n  > cat /sys/fs/cgroup/cpu.max ""\nExpected: a retry with backoff; see rev:main ${'and more words '.repeat(12)}`;
    for (const mode of ['hybrid', 'lexical'] as const) {
      const answer = await run(issue, { mode });
      expect(answer.results.length, mode).toBeGreaterThan(0);
      expect(repos(answer)).toContain('api');
    }
    await expect(run('retry /cgroup/', { mode: 'lexical' })).rejects.toMatchObject({ code: 'QUERY_INVALID' });
    // Quoted output and -flags in an issue are prose: typed, the phrase would have to appear in every hit.
    const quoted = `the retry loop prints "connection reset by peer 104" and exits when run with -v ${'context '.repeat(40)}`;
    expect((await run(quoted)).results.length).toBeGreaterThan(0);
    expect((await run('retry "connection reset by peer 104"')).results).toEqual([]);
  });

  it('search_code (the MCP and HTTP tool) takes the syntax and returns the INTERFACE.md hit shape plus parsed', async () => {
    const out = await searchCodeTool.execute({ query: 'repo:web retry' }, local);
    // INTERFACE.md's fields, plus (added) the last change of the lines or why it is missing.
    const keys = Object.keys(out.results[0]!).sort();
    expect(keys.filter((k) => !k.startsWith('lastChange'))).toEqual(
      ['endLine', 'kind', 'language', 'path', 'repo', 'score', 'snippet', 'startLine', 'symbol', 'url'].sort(),
    );
    expect(keys.filter((k) => k.startsWith('lastChange')).length).toBe(1);
    expect(out.parsed.repos).toEqual({ include: ['web'], exclude: [] });
    // The tool description and the README table name every filter the parser knows.
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Query syntax'), readme.indexOf('## Ask'));
    for (const name of FILTER_NAMES) {
      expect(searchCodeTool.description, name).toContain(`${name}:`);
      expect(table, name).toContain(`${name}:`);
    }
    expect(searchCodeTool.toText(await searchCodeTool.execute({ query: 'type:commit author:bob' }, local))).toContain(
      'Fix timeout in the client',
    );
  });
});
