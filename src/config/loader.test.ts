import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/git.js';
import { GitloreError } from '../shared/errors.js';
import { redact } from '../shared/redact.js';
import { describeConfig } from './describe.js';
import { loadConfig } from './loader.js';

function dir(files: Record<string, string> = {}): string {
  const cwd = tempDir('gitlore-config-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(cwd, name), text);
  return cwd;
}

function errorOf(fn: () => unknown): GitloreError {
  try {
    fn();
  } catch (error) {
    if (error instanceof GitloreError) return error;
    throw error;
  }
  throw new Error('expected a GitloreError');
}

describe('loadConfig precedence', () => {
  it('flag > env > .env > config file > default, and records where each value came from', () => {
    const cwd = dir({
      '.env': 'MAX_PARALLEL_CLONES=3\nPORT=4001\nHOST=127.0.0.2\n',
      'gitlore.config.json': '{"maxParallelClones": 2, "port": 4002, "host": "127.0.0.3", "logLevel": "warn"}',
    });
    const config = loadConfig({ cwd, env: { MAX_PARALLEL_CLONES: '5', PORT: '4003' }, flags: { maxParallelClones: 7 } });
    expect(config.maxParallelClones).toBe(7);
    expect(config.port).toBe(4003);
    expect(config.host).toBe('127.0.0.2');
    expect(config.logLevel).toBe('warn');
    expect(config.embeddings).toBe('local');
    expect(config.origins).toMatchObject({ maxParallelClones: 'flag', port: 'env', host: '.env', logLevel: 'file', embeddings: 'default' });
  });

  it('derives repos/index/db paths from the data dir unless REPOS_PATH / INDEX_PATH override them', () => {
    const cwd = dir();
    const a = loadConfig({ cwd, env: { GITLORE_DATA_DIR: 'data' } });
    expect(a.reposPath).toBe(join(cwd, 'data', 'repos'));
    expect(a.dbPath).toBe(join(cwd, 'data', 'index', 'gitlore.db'));
    const b = loadConfig({ cwd, env: { GITLORE_DATA_DIR: 'data', REPOS_PATH: '/srv/clones', INDEX_PATH: 'idx' } });
    expect(b.reposPath).toBe('/srv/clones');
    expect(b.indexPath).toBe(join(cwd, 'idx'));
  });

  it('merges GITHUB_ORG / GITHUB_USER lists with config-file sources, without duplicates', () => {
    const cwd = dir({
      'gitlore.config.yaml':
        'sources:\n  - type: github\n    org: acme\n  - type: local\n    path: repos/*\ninclude: ["acme/*"]\nexclude: ["*-old"]\n',
    });
    const config = loadConfig({ cwd, env: { GITHUB_ORG: 'acme, beta', GITHUB_USER: 'alice' } });
    expect(config.sources).toEqual([
      { type: 'github', org: 'acme' },
      { type: 'local', path: join(cwd, 'repos/*') },
      { type: 'github', org: 'beta' },
      { type: 'github', user: 'alice' },
    ]);
    expect(config.include).toEqual(['acme/*']);
    expect(config.exclude).toEqual(['*-old']);
  });

  it('GH_TOKEN is an alias of GITHUB_TOKEN, and the token is masked in describeConfig and redacted in text', () => {
    const token = 'ghp_0123456789abcdefghijABCDEFGHIJ012345';
    const config = loadConfig({ cwd: dir(), env: { GH_TOKEN: token } });
    expect(config.githubToken).toBe(token);
    const described = JSON.stringify(describeConfig(config));
    expect(described).not.toContain(token);
    expect(redact(`fatal: https://x:${token}@github.com failed with ${token}`)).not.toContain(token);
  });
});

describe('loadConfig validation', () => {
  it('names the variable and what is allowed', () => {
    const error = errorOf(() => loadConfig({ cwd: dir(), env: { MAX_PARALLEL_CLONES: 'abc' } }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.toLine()).toBe('Invalid MAX_PARALLEL_CLONES: got "abc", expected an integer from 1 to 64. Fix MAX_PARALLEL_CLONES.');
  });

  it('reads GITLORE_BACKUP_KEEP (unset keeps every backup) and refuses 0 naming the range', () => {
    expect(loadConfig({ cwd: dir(), env: {} }).backupKeep).toBeUndefined();
    expect(loadConfig({ cwd: dir(), env: { GITLORE_BACKUP_KEEP: '7' } }).backupKeep).toBe(7);
    expect(errorOf(() => loadConfig({ cwd: dir(), env: { GITLORE_BACKUP_KEEP: '0' } })).toLine()).toMatch(
      /^Invalid GITLORE_BACKUP_KEEP: got "0", expected how many scheduled backups to keep .* an integer from 1 to 100000; unset keeps all\. Fix GITLORE_BACKUP_KEEP\.$/,
    );
  });

  it('reads GITLORE_LOG_FORMAT (text by default) and names the allowed values for a bad one', () => {
    expect(loadConfig({ cwd: dir(), env: {} }).logFormat).toBe('text');
    expect(loadConfig({ cwd: dir(), env: { GITLORE_LOG_FORMAT: 'json' } }).logFormat).toBe('json');
    expect(errorOf(() => loadConfig({ cwd: dir(), env: { GITLORE_LOG_FORMAT: 'yaml' } })).toLine()).toMatch(
      /^Invalid GITLORE_LOG_FORMAT: got "yaml", expected text or json \(/,
    );
  });

  it('reads GITLORE_TRUST_PROXY (loopback by default; none; addresses and CIDR ranges) and refuses anything else', () => {
    const trust = (value?: string) => loadConfig({ cwd: dir(), env: value === undefined ? {} : { GITLORE_TRUST_PROXY: value } }).trustProxy;
    expect(trust()).toEqual(['loopback']);
    expect(trust('none')).toEqual([]);
    expect(trust('Loopback, 10.0.0.0/8, 192.0.2.7, fd00::/8')).toEqual(['loopback', '10.0.0.0/8', '192.0.2.7', 'fd00::/8']);
    for (const bad of ['anywhere', '10.0.0.0/33', 'fd00::/129', '10.0.0.1/8/2', 'none,loopback', '*']) {
      expect(errorOf(() => trust(bad)).toLine()).toMatch(
        /^Invalid GITLORE_TRUST_PROXY: got ".*", expected loopback, none, or comma-separated/,
      );
    }
  });

  it('names the .env file, the flag and the config-file key', () => {
    expect(errorOf(() => loadConfig({ cwd: dir({ '.env': 'GITLORE_EMBEDDINGS=magic\n' }), env: {} })).toLine()).toMatch(
      /Invalid GITLORE_EMBEDDINGS: got "magic", expected local, openai, bedrock, ollama or none\. Fix GITLORE_EMBEDDINGS in \.env\./,
    );
    expect(errorOf(() => loadConfig({ cwd: dir(), env: {}, flags: { port: 70000 } })).message).toMatch(/Invalid --port/);
    expect(errorOf(() => loadConfig({ cwd: dir({ 'gitlore.config.json': '{"githubApiUrl": "nope"}' }), env: {} })).message).toMatch(
      /Invalid githubApiUrl in .*gitlore\.config\.json/,
    );
  });

  it('hides secret values in errors', () => {
    const error = errorOf(() => loadConfig({ cwd: dir(), env: { SECRET_KEY: 'short' } }));
    expect(error.message).toContain('(hidden)');
    expect(error.message).not.toContain('short');
  });

  it('refuses a webhook secret shorter than 8 characters, which could not be redacted safely', () => {
    const error = errorOf(() => loadConfig({ cwd: dir(), env: { GITHUB_WEBHOOK_SECRET: 'main' } }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(
      'Invalid GITHUB_WEBHOOK_SECRET: got (hidden), expected the secret set on the GitHub webhook, at least 8 characters.',
    );
    expect(loadConfig({ cwd: dir(), env: { GITHUB_WEBHOOK_SECRET: 'a-long-enough-secret' } }).webhookSecret).toBe('a-long-enough-secret');
  });

  it('refuses service URLs with credentials (GITHUB_API_URL, OPENAI_BASE_URL, a source apiUrl) without echoing them', () => {
    for (const env of [
      { GITHUB_API_URL: 'https://admin:hunter2pass@github.example.com/api/v3' },
      { OPENAI_BASE_URL: 'http://sk-abcdefghijklmnopqrstuvwxyz123456@127.0.0.1:8000/v1' },
    ]) {
      const error = errorOf(() => loadConfig({ cwd: dir(), env }));
      expect(error.code).toBe('CONFIG_INVALID');
      expect(error.message).toMatch(/got \(hidden\), expected an http\(s\) URL without credentials/);
      expect(error.message).not.toMatch(/hunter2pass|sk-abc/);
    }
    const file = JSON.stringify({ sources: [{ type: 'github', org: 'acme', apiUrl: 'https://x:hunter2pass@ghe.example.com/api/v3' }] });
    const fromFile = errorOf(() => loadConfig({ cwd: dir({ 'gitlore.config.json': file }), env: {} }));
    expect(fromFile.message).toMatch(/sources\.0\.apiUrl .*contains credentials/);
    expect(fromFile.message).not.toContain('hunter2pass');
    expect(loadConfig({ cwd: dir(), env: { GITHUB_API_URL: 'https://ghe.example.com/api/v3' } }).githubApiUrl).toBe(
      'https://ghe.example.com/api/v3',
    );
  });

  it('rejects a malformed config file or a bad source with the path of the problem', () => {
    expect(errorOf(() => loadConfig({ cwd: dir({ 'gitlore.config.json': '{oops' }), env: {} })).message).toMatch(/Cannot parse/);
    const bad = errorOf(() => loadConfig({ cwd: dir({ 'gitlore.config.json': '{"sources": [{"type": "svn", "url": "x"}]}' }), env: {} }));
    expect(bad.message).toMatch(/sources\.0/);
    expect(bad.hint).toMatch(/"type":"github"/);
  });

  it('GITLORE_CONFIG points at a config file elsewhere, and a missing one is an error', () => {
    const other = dir({ 'my.json': '{"maxParallelClones": 9}' });
    mkdirSync(join(other, 'sub'));
    expect(loadConfig({ cwd: join(other, 'sub'), env: { GITLORE_CONFIG: join(other, 'my.json') } }).maxParallelClones).toBe(9);
    expect(errorOf(() => loadConfig({ cwd: other, env: { GITLORE_CONFIG: 'missing.json' } })).message).toMatch(/does not exist/);
  });

  it('reads booleans the way env files spell them', () => {
    const config = loadConfig({ cwd: dir(), env: { SKIP_CLONE: 'yes', SKIP_AUTO_INDEX: '0', GITLORE_INCLUDE_FORKS: 'true' } });
    expect([config.skipClone, config.skipAutoIndex, config.includeForks]).toEqual([true, false, true]);
  });
});
