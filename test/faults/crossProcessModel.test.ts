import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { commitFiles, makeRepo, tempDir } from '../helpers/git.js';
import { watchServe } from '../helpers/serveProcess.js';
import { TOPICS, topicFiles } from '../helpers/topicCorpus.js';
import { childEnv } from '../mcp/fixture.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const TSX = ['--import', pathToFileURL(`${ROOT}node_modules/tsx/dist/loader.mjs`).href];
const LOCAL = { GITLORE_EMBEDDINGS: 'local' };

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

async function serve(cwd: string, dataDir: string): Promise<{ url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [...TSX, MAIN, 'serve', '--port', '0', '--no-sync'], {
    cwd,
    env: childEnv(dataDir, { ...LOCAL, GITLORE_SYNC_INTERVAL: '0', GITLORE_LOG_LEVEL: 'info' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const served = watchServe(child);
  const url = await served.url;
  return { url, stderr: served.stderr };
}

async function semanticPaths(url: string, query: string): Promise<string[]> {
  const res = await fetch(`${url}/api/search?mode=semantic&limit=5&q=${encodeURIComponent(query)}`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { results: { path: string }[] };
  return body.results.map((hit) => hit.path);
}

async function indexModel(cli: (args: string[]) => Promise<{ stdout: string }>): Promise<string> {
  const status = JSON.parse((await cli(['index', 'status', '--json'])).stdout) as { embeddingModel: string | null };
  expect(status.embeddingModel).toMatch(/codevec/);
  return status.embeddingModel as string;
}

describe('fault: another process relearns the embedding model under a running server', () => {
  it('keeps semantic search answering with the new model, and logs the reload', async () => {
    const root = tempDir('gitlore-fault-model-');
    const dataDir = `${root}/data`;
    const upstream = `${root}/upstream/topics`;
    makeRepo(upstream, topicFiles(TOPICS.slice(0, 6)));
    const cli = (args: string[]) => runCli(args, { dataDir, env: { ...LOCAL, GITLORE_DATA_DIR: dataDir }, cwd: root });
    expect((await cli(['repo', 'add', upstream, '--name', 'topics'])).code).toBe(0);
    expect((await cli(['sync'])).code).toBe(0);
    expect((await cli(['index'])).code).toBe(0);

    const server = await serve(root, dataDir);
    expect(await semanticPaths(server.url, TOPICS[2] as string)).not.toEqual([]);
    const modelBefore = await indexModel(cli);

    // New vocabulary in the corpus: the full rebuild in this process (another process from the
    // server's side) learns a different model and re-embeds every chunk with it.
    commitFiles(upstream, topicFiles(TOPICS.slice(6), 'extra'), 'more topics');
    expect((await cli(['sync'])).code).toBe(0);
    const full = await cli(['index', '--full']);
    expect(full.code, full.stderr).toBe(0);

    expect(await indexModel(cli)).not.toBe(modelBefore);
    // Before the fix: [] until the server restarted, and nothing logged.
    expect(await semanticPaths(server.url, TOPICS[2] as string)).not.toEqual([]);
    expect((await semanticPaths(server.url, TOPICS[8] as string)).some((path) => path.startsWith('src/extra'))).toBe(true);
    expect(server.stderr()).toMatch(/newer embedding model; reloading/);
  });
});
