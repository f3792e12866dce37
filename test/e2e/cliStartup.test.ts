import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/git.js';

const ROOT = join(import.meta.dirname, '../..');
const MAIN = join(ROOT, 'src/main.ts');
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
/** Registers a loader hook that appends the URL of every module loaded to $LOADED_LOG. */
const RECORD_LOADS = `data:text/javascript,${encodeURIComponent(`
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) { appendFileSync(process.env.LOADED_LOG, url + '\\\\n'); return next(url, context); }
\`));
`)}`;

/** Runs the CLI from source in a fresh process and lists the modules it loaded. */
function startUp(args: string[]) {
  const dir = tempDir('gitlore-startup-');
  const log = join(dir, 'loaded.txt');
  const dataDir = join(dir, 'data');
  const result = spawnSync(process.execPath, ['--import', TSX, '--import', RECORD_LOADS, MAIN, ...args], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: dir, GITLORE_DATA_DIR: dataDir, LOADED_LOG: log },
    encoding: 'utf8',
  });
  const loaded = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  return { ...result, loaded, dataDir };
}

const HEAVY_PACKAGES =
  /node_modules\/(zod|better-sqlite3|hono|@hono|@modelcontextprotocol|@octokit|web-tree-sitter|@vscode\/tree-sitter-wasm|usearch|openai|yaml|dotenv|picomatch|fast-glob|cli-progress)\//;
const COMMAND_CODE = /\/src\/(config|core|store\/sqlite|server|mcp|search|indexer|history|sync|sources|git|jobs|embeddings)\//;

describe('CLI start-up', () => {
  it.each([[['--version']], [['--help']], [['search', '--help']], [['index', '--help']]])(
    'gitlore %j loads no command implementation, no heavy dependency, and opens no store',
    (args) => {
      const run = startUp(args);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(args[0] === '--version' ? /^\d+\.\d+\.\d+\n$/ : /Usage: gitlore/);
      expect(run.loaded.some((url) => url.endsWith('/src/main.ts'))).toBe(true);
      expect(run.loaded.filter((url) => HEAVY_PACKAGES.test(url))).toEqual([]);
      expect(run.loaded.filter((url) => COMMAND_CODE.test(url))).toEqual([]);
      expect(existsSync(run.dataDir)).toBe(false);
    },
  );

  it('a command loads what it runs only when it runs', () => {
    const run = startUp(['repo', 'list']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.loaded.some((url) => url.includes('/src/core/repos.ts'))).toBe(true);
    expect(
      run.loaded.filter((url) => /\/src\/(server|mcp)\//.test(url) || /node_modules\/(hono|@modelcontextprotocol)\//.test(url)),
    ).toEqual([]);
  });

  it('importing src/main.ts runs nothing', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', TSX, '--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(MAIN).href)});`],
      { encoding: 'utf8', env: { PATH: process.env.PATH } },
    );
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).toBe('');
  });
});
