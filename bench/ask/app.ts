/**
 * Set-up shared by the ask benches: an App on a data dir under .eval/data/ (kept between runs, so
 * re-indexing is incremental) holding the given trees as local repos, synced and indexed as
 * `gitlore index` does (lexical, history, embeddings), with the model configured by the environment
 * (GITLORE_LLM …) or pointed at the scripted OpenAI-compatible server.
 */
import { join } from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import type { App } from '../../src/core/app.js';
import { createContext } from '../../src/core/context.js';
import { indexRepos } from '../../src/core/indexRepos.js';
import { addRepo, listRepos } from '../../src/core/repos.js';
import { createServices } from '../../src/core/services.js';
import { syncRepos } from '../../src/core/syncRepos.js';
import { createLogger } from '../../src/shared/logger.js';
import { EVAL_WORK_DIR } from '../eval/dataset.js';

export interface Tree {
  name: string;
  dir: string;
}

/** The variables that configure a provider, taken from this process's environment. */
const PROVIDER_VARIABLE = /^(GITLORE_LLM|GITLORE_ASK_|OPENAI_|ANTHROPIC_|AWS_|BEDROCK_|OLLAMA_)/;

/** What `--scripted` sets: the openai provider pointed at the loopback scripted server. */
export function scriptedEnv(baseUrl: string): Record<string, string> {
  return { GITLORE_LLM: 'openai', GITLORE_LLM_MODEL: 'scripted', OPENAI_BASE_URL: baseUrl, OPENAI_API_KEY: 'sk-bench-scripted' };
}

export interface AskBenchApp {
  app: App;
  /** The environment a `gitlore` child process needs to see the same data and model. */
  env: Record<string, string>;
}

/**
 * Opens (and on first use fills) `.eval/data/ask-<tag>-<embeddings>`. `llm`: provider variables that
 * replace the environment's (the scripted server); EVAL_EMBEDDINGS=none|<model> picks the embedder as in bench/eval.
 */
export async function openAskApp(trees: Tree[], tag: string, llm: Record<string, string> | null): Promise<AskBenchApp> {
  const embeddings = process.env.EVAL_EMBEDDINGS ?? 'default';
  const dataDir = join(EVAL_WORK_DIR, 'data', `ask-${tag}-${embeddings}`);
  const env: Record<string, string> = { GITLORE_DATA_DIR: dataDir, GITLORE_LOG_LEVEL: 'warn' };
  if (embeddings === 'none') env.GITLORE_EMBEDDINGS = 'none';
  else if (embeddings !== 'default') env.GITLORE_EMBEDDINGS_MODEL = embeddings;
  for (const [k, v] of Object.entries(llm ?? process.env)) if (v !== undefined && PROVIDER_VARIABLE.test(k)) env[k] = v;
  const config = loadConfig({ cwd: dataDir, env });
  const app = await createServices(config, { log: createLogger('bench', { level: 'warn' }) });
  const known = new Set((await listRepos({}, createContext(app))).map((r) => r.name));
  for (const t of trees) if (!known.has(t.name)) await addRepo({ target: t.dir, name: t.name }, createContext(app));
  const names = trees.map((t) => t.name);
  const t0 = Date.now();
  const sync = await syncRepos({ names }, createContext(app));
  const failed = sync.repos.filter((r) => r.status === 'failed');
  if (failed.length > 0) throw new Error(`sync failed: ${JSON.stringify(failed)}`);
  const report = await indexRepos({ names }, createContext(app));
  console.error(
    `[${tag}] synced + indexed ${names.join(', ')} in ${Date.now() - t0} ms (${report.repos.reduce((a, r) => a + r.chunks, 0)} chunks indexed this run)`,
  );
  return { app, env };
}
