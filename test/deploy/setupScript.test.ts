import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/git.js';
import { needTools, nginxTest, REPO, selfSignedCert, wrapSite } from './tools.js';

/**
 * deploy/setup.sh run for real against a scratch root (GITLORE_ROOT), with the steps that need the real machine left
 * out: apt (GITLORE_SKIP_PACKAGES), systemd as PID 1 (GITLORE_SKIP_SYSTEMCTL) and the npm build
 * (GITLORE_SKIP_BUILD; scripts/setup.sh, tested by every run of the suite). It installs a snapshot of this working tree.
 */

const tools = needTools('git', 'openssl');
const SECRET = 'gh-"secret"$HOME`id`\\end';
let source: string;

/** This working tree (tracked and new files, not ignored ones) committed into a fresh repository. */
function snapshot(): string {
  const dir = tempDir('gitlore-source-');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO, encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    try {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      cpSync(join(REPO, file), join(dir, file), { verbatimSymlinks: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // deleted, not yet committed
    }
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'snapshot');
  return dir;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function setup(root: string, env: Record<string, string> = {}): Run {
  const result = spawnSync('bash', [join(source, 'deploy/setup.sh')], {
    encoding: 'utf8',
    env: {
      PATH: `${dirname(process.execPath)}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
      GITLORE_ROOT: root,
      GITLORE_SKIP_PACKAGES: '1',
      GITLORE_SKIP_SYSTEMCTL: '1',
      GITLORE_SKIP_BUILD: '1',
      GITLORE_SOURCE: source,
      ...env,
    },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The settings gitlore.env gives a shell (`set -a; . gitlore.env`), the same syntax as systemd's EnvironmentFile. */
function sourced(file: string): Record<string, string> {
  const out = execFileSync('bash', ['-c', 'set -a; . "$1"; env -0', 'bash', file], { encoding: 'utf8', env: {} });
  return Object.fromEntries(
    out
      .split('\0')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** Path → [mode, mtime, content] for what setup.sh writes outside the app checkout. */
function written(root: string): Map<string, [number, number, string]> {
  const files = [
    'etc/gitlore/gitlore.env',
    'etc/systemd/system/gitlore.service',
    'etc/systemd/system/gitlore-worker@.service',
    'etc/nginx/snippets/gitlore-proxy.conf',
    'etc/nginx/sites-available/gitlore.conf',
  ];
  return new Map(
    files.map((file) => {
      const stat = statSync(join(root, file));
      return [file, [stat.mode & 0o7777, stat.mtimeMs, readFileSync(join(root, file), 'utf8')]];
    }),
  );
}

beforeAll(() => {
  if (!tools.skip) source = snapshot();
}, 120_000);

describe(`deploy/setup.sh in a scratch root${tools.note}`, { skip: tools.skip }, () => {
  const root = () => tempDir('gitlore-root-');
  const signIn = { GITLORE_AUTH: 'github', GITHUB_CLIENT_ID: 'Iv1.client', GITHUB_CLIENT_SECRET: SECRET };

  it('installs the app, gitlore.env (600), the units and the nginx site; a second run changes nothing', () => {
    const dir = root();
    const secrets = join(tempDir('gitlore-secrets-'), 'secrets.env');
    writeFileSync(secrets, '# from the secrets manager\nexport GITHUB_TOKEN="ghp_fromfile"\nDATABASE_URL=\'postgres://u:p@db/gitlore\'\n');
    const first = setup(dir, {
      ...signIn,
      PORT: '3111',
      GITHUB_ORG: 'acme',
      GITLORE_DOMAIN: 'gitlore.test',
      GITLORE_SECRETS_FILE: secrets,
      GITLORE_SECRETS_COMMAND: `printf '{"OPENAI_API_KEY": "sk-fromcommand", "GITHUB_ORG": "overridden-by-env"}'`,
    });
    expect(first.status, first.stderr).toBe(0);
    // Secrets never reach the output.
    for (const value of ['gh-"secret"', 'ghp_fromfile', 'sk-fromcommand', 'u:p@db'])
      expect(first.stdout + first.stderr).not.toContain(value);
    expect(first.stderr).toMatch(/changed: \/etc\/gitlore\/gitlore\.env, app installed, /);

    const envFile = join(dir, 'etc/gitlore/gitlore.env');
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    const env = sourced(envFile);
    expect(env).toMatchObject({
      GITHUB_CLIENT_SECRET: SECRET,
      GITHUB_CLIENT_ID: 'Iv1.client',
      GITHUB_ORG: 'acme',
      GITHUB_TOKEN: 'ghp_fromfile',
      DATABASE_URL: 'postgres://u:p@db/gitlore',
      OPENAI_API_KEY: 'sk-fromcommand',
      GITLORE_AUTH: 'github',
      GITLORE_DATA_DIR: '/var/lib/gitlore',
      GITLORE_PUBLIC_URL: 'https://gitlore.test',
      HOST: '127.0.0.1',
      PORT: '3111',
    });
    expect(env.SECRET_KEY).toMatch(/^[0-9a-f]{64}$/);
    // The setup's own variables stay out.
    expect(Object.keys(env).filter((key) => /^GITLORE_(ROOT|SKIP|SOURCE|DOMAIN|SECRETS)/.test(key))).toEqual([]);

    for (const unit of ['gitlore.service', 'gitlore-worker@.service']) {
      expect(readFileSync(join(dir, 'etc/systemd/system', unit), 'utf8')).toBe(readFileSync(join(REPO, 'deploy', unit), 'utf8'));
    }
    const snippet = readFileSync(join(dir, 'etc/nginx/snippets/gitlore-proxy.conf'), 'utf8');
    expect(snippet).toContain('proxy_pass http://127.0.0.1:3111;');
    expect(snippet).not.toContain('127.0.0.1:3000');
    // No certificate yet: the plain-HTTP site, named for the domain.
    const site = readFileSync(join(dir, 'etc/nginx/sites-available/gitlore.conf'), 'utf8');
    expect(site).toContain('server_name gitlore.test;');
    expect(site).not.toContain('ssl_certificate');
    expect(readlinkSync(join(dir, 'etc/nginx/sites-enabled/gitlore.conf'))).toBe('/etc/nginx/sites-available/gitlore.conf');
    expect(readlinkSync(join(dir, 'usr/local/bin/gitlore'))).toBe('/opt/gitlore/bin/gitlore');
    expect(statSync(join(dir, 'var/lib/gitlore')).isDirectory()).toBe(true);
    const head = execFileSync('git', ['-C', source, 'rev-parse', 'HEAD'], { encoding: 'utf8' });
    expect(execFileSync('git', ['-c', `safe.directory=*`, '-C', join(dir, 'opt/gitlore'), 'rev-parse', 'HEAD'], { encoding: 'utf8' })).toBe(
      head,
    );

    const before = written(dir);
    const again = setup(dir, { ...signIn, GITLORE_DOMAIN: 'gitlore.test', PORT: '3111' });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/nothing changed/);
    expect(written(dir)).toEqual(before);
  });

  it('keeps the settings it holds on an upgrade, replaces those given again, and installs a new commit', () => {
    const dir = root();
    expect(setup(dir, { ...signIn, GITHUB_TOKEN: 'ghp_one' }).status).toBe(0);
    const key = sourced(join(dir, 'etc/gitlore/gitlore.env')).SECRET_KEY;
    execFileSync('git', [
      '-C',
      source,
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.com',
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'next',
    ]);
    const upgrade = setup(dir, { GITHUB_TOKEN: 'ghp_two' });
    expect(upgrade.status, upgrade.stderr).toBe(0);
    expect(upgrade.stderr).toMatch(/changed: \/etc\/gitlore\/gitlore\.env, app [0-9a-f]{12} -> [0-9a-f]{12}$/m);
    const env = sourced(join(dir, 'etc/gitlore/gitlore.env'));
    expect(env).toMatchObject({ GITHUB_TOKEN: 'ghp_two', GITHUB_CLIENT_SECRET: SECRET, SECRET_KEY: key });
    // GITLORE_RESET_ENV drops what is not given again (SECRET_KEY is made anew).
    const reset = setup(dir, { ...signIn, GITLORE_RESET_ENV: '1' });
    expect(reset.status, reset.stderr).toBe(0);
    const fresh = sourced(join(dir, 'etc/gitlore/gitlore.env'));
    expect(fresh.GITHUB_TOKEN).toBeUndefined();
    expect(fresh.SECRET_KEY).not.toBe(key);
  });

  it('switches nginx to the TLS site once the certificate exists, and nginx -t accepts what it wrote', () => {
    const dir = root();
    const live = join(dir, 'etc/letsencrypt/live/gitlore.test');
    mkdirSync(live, { recursive: true });
    const cert = selfSignedCert(live);
    const run = setup(dir, { ...signIn, GITLORE_DOMAIN: 'gitlore.test', PORT: '3111' });
    expect(run.status, run.stderr).toBe(0);
    const site = join(dir, 'etc/nginx/sites-available/gitlore.conf');
    expect(readFileSync(site, 'utf8')).toContain('ssl_certificate     /etc/letsencrypt/live/gitlore.test/fullchain.pem;');
    if (needTools('nginx').skip) return;
    const scratch = tempDir('gitlore-nginx-');
    const result = nginxTest(wrapSite({ dir: scratch, site, snippet: join(dir, 'etc/nginx/snippets/gitlore-proxy.conf'), cert }), scratch);
    expect(result.status, result.output).toBe(0);
  });

  it('refuses with one line before installing anything: no sign-in behind nginx, a bad port, a failing secrets command', () => {
    for (const [env, message] of [
      [{}, /^gitlore setup: GITLORE_AUTH is none: nginx would publish gitlore with no sign-in; set GITLORE_AUTH=github or oidc/],
      [{ ...signIn, PORT: 'http' }, /^gitlore setup: PORT must be a port number, got 'http'$/],
      [
        { ...signIn, GITLORE_SECRETS_COMMAND: 'echo sk-leak; exit 3' },
        /^gitlore setup: GITLORE_SECRETS_COMMAND failed \(exit 3\); its output is not shown$/,
      ],
      [
        { ...signIn, GITLORE_SECRETS_FILE: '/nonexistent/secrets' },
        /^gitlore setup: GITLORE_SECRETS_FILE \/nonexistent\/secrets cannot be read$/,
      ],
      [{ ...signIn, GITLORE_WORKERS: 'two' }, /^gitlore setup: GITLORE_WORKERS must be a whole number, got 'two'$/],
      [{ ...signIn, GITLORE_WORKERS: '2' }, /^gitlore setup: GITLORE_WORKERS=2 needs DATABASE_URL=postgres:\/\/… \(workers share/],
    ] as const) {
      const dir = root();
      const result = setup(dir, env);
      expect(result.status).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines.at(-1)).toMatch(message);
      expect(result.stderr).not.toContain('sk-leak');
      expect(() => statSync(join(dir, 'etc/gitlore/gitlore.env'))).toThrow();
      expect(() => statSync(join(dir, 'opt/gitlore'))).toThrow();
    }
    // An open server is allowed when asked for, on a private network.
    expect(setup(root(), { GITLORE_ALLOW_OPEN: '1' }).status).toBe(0);
  });

  it('installs units that systemd-analyze verifies without a warning', () => {
    if (needTools('systemd-analyze').skip) return;
    const dir = root();
    expect(setup(dir, signIn).status).toBe(0);
    const units = tempDir('gitlore-units-');
    for (const unit of ['gitlore.service', 'gitlore-worker@.service']) {
      const text = readFileSync(join(dir, 'etc/systemd/system', unit), 'utf8').replaceAll('/opt/gitlore/', `${join(dir, 'opt/gitlore')}/`);
      writeFileSync(join(units, unit.replace('@.', '@1.')), text);
    }
    const result = spawnSync('systemd-analyze', ['verify', join(units, 'gitlore.service'), join(units, 'gitlore-worker@1.service')], {
      encoding: 'utf8',
    });
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    expect(result.status).toBe(0);
  });
});
