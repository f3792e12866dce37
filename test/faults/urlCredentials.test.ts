import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runGit } from '../../src/git/git.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/git.js';

const SECRET = 's3cretPW9';
const TOKEN = `ghp_${'A1b2C3d4E5'.repeat(4)}`;

/** Every way a git URL can carry a secret; none may be stored, passed to git or printed. */
const WITH_CREDENTIALS = [
  `https://alice:${SECRET}@example.com/acme/api.git`,
  `http://alice:${SECRET}@example.com/acme/api.git`,
  `ssh://git:${SECRET}@example.com/acme/api.git`,
  `git+ssh://git:${SECRET}@example.com/acme/api.git`,
  `ftp://alice:${SECRET}@example.com/acme/api.git`,
  `ftps://alice:${SECRET}@example.com/acme/api.git`,
  `git:${SECRET}@example.com:acme/api.git`,
  `https://${TOKEN}@github.com/acme/api.git`,
  `https://x-access-token:${TOKEN}@github.com/acme/api.git`,
  `ssh://${TOKEN}@github.com/acme/api.git`,
];
const secretOf = (url: string) => (url.includes(TOKEN) ? TOKEN : SECRET);

async function storedRepos(dataDir: string): Promise<{ name: string; cloneUrl: string }[]> {
  const list = await runCli(['repo', 'list', '--json'], { dataDir });
  expect(list.code).toBe(0);
  return (JSON.parse(list.stdout) as { repos: { name: string; cloneUrl: string }[] }).repos;
}

describe('fault: git URLs with credentials', () => {
  it('refuses each in `repo add`, with exit 2 and one line that does not repeat the secret, and stores nothing', async () => {
    const dataDir = join(tempDir('gitlore-fault-cred-'), 'data');
    for (const url of WITH_CREDENTIALS) {
      const result = await runCli(['repo', 'add', url], { dataDir });
      expect(result.code, url).toBe(2);
      expect(result.stderr.trim().split('\n'), url).toHaveLength(1);
      expect(result.stderr, url).toMatch(/credentials/);
      expect(result.stderr + result.stdout, url).not.toContain(secretOf(url));
    }
    expect(await storedRepos(dataDir)).toEqual([]);
  });

  it('keeps accepting an ssh user without a password', async () => {
    const dataDir = join(tempDir('gitlore-fault-cred-'), 'data');
    expect((await runCli(['repo', 'add', 'git@github.com:acme/api.git'], { dataDir })).code).toBe(0);
    expect((await runCli(['repo', 'add', 'ssh://git@example.com/acme/tools.git'], { dataDir })).code).toBe(0);
    expect((await storedRepos(dataDir)).map((r) => r.name)).toEqual(['api', 'tools']);
  });

  it('refuses a config file whose git source has credentials at `gitlore status`, not only at sync', async () => {
    for (const url of [WITH_CREDENTIALS[0], WITH_CREDENTIALS[6], WITH_CREDENTIALS[7]] as string[]) {
      const cwd = tempDir('gitlore-fault-cred-cfg-');
      writeFileSync(join(cwd, 'gitlore.config.json'), JSON.stringify({ sources: [{ type: 'git', url }] }));
      const result = await runCli(['status'], { dataDir: join(cwd, 'data'), cwd });
      expect(result.code, url).toBe(2);
      expect(result.stderr, url).toMatch(/sources\.0\.url.*credentials/);
      expect(result.stderr.trim().split('\n'), url).toHaveLength(1);
      expect(result.stderr + result.stdout, url).not.toContain(secretOf(url));
    }
  });

  it('scrubs credentials a database stored before they were refused', async () => {
    const dataDir = join(tempDir('gitlore-fault-cred-old-'), 'data');
    expect((await runCli(['repo', 'add', 'https://example.com/acme/api.git'], { dataDir })).code).toBe(0);
    expect((await runCli(['repo', 'add', 'ssh://git@example.com/acme/tools.git'], { dataDir })).code).toBe(0);
    // What an older gitlore left behind: secrets in the stored URLs, and the scrub not yet applied.
    const db = new Database(join(dataDir, 'index', 'gitlore.db'));
    db.prepare('UPDATE repos SET clone_url = ?, html_url = ? WHERE name = ?').run(
      `https://alice:${SECRET}@example.com/acme/api.git`,
      `https://alice:${SECRET}@example.com/acme/api`,
      'api',
    );
    db.prepare('UPDATE repos SET clone_url = ? WHERE name = ?').run(`ssh://git:${SECRET}@example.com/acme/tools.git`, 'tools');
    db.prepare("DELETE FROM schema_migrations WHERE id = 'repos-002'").run();
    db.close();

    const list = await runCli(['repo', 'list', '--json'], { dataDir });
    expect(list.stdout).not.toContain(SECRET);
    const urls = Object.fromEntries(
      (JSON.parse(list.stdout) as { repos: { name: string; cloneUrl: string }[] }).repos.map((r) => [r.name, r.cloneUrl]),
    );
    expect(urls).toEqual({ api: 'https://example.com/acme/api.git', tools: 'ssh://git@example.com/acme/tools.git' });
  });

  it('never passes a URL with a password to git, whoever calls it', async () => {
    const failure = await runGit(['ls-remote', `https://alice:${SECRET}@127.0.0.1:9/acme/api.git`]).catch(
      (e: Error & { code?: string }) => e,
    );
    expect(failure).toBeInstanceOf(Error);
    expect((failure as { code?: string }).code).toBe('GIT_FAILED');
    expect((failure as Error).message).toMatch(/credentials/);
    expect((failure as Error).message).not.toContain(SECRET);
  });
});
