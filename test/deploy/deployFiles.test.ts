import { spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tempDir } from '../helpers/git.js';
import { DEPLOY, needTools, nginxTest, REPO, selfSignedCert, wrapSite } from './tools.js';

/** The deploy/ files checked by the tools that will run them: nginx, systemd, cloud-init, and shellcheck for the scripts. */

const nginx = needTools('nginx', 'openssl');
describe(`nginx -t on the shipped site files${nginx.note}`, { skip: nginx.skip }, () => {
  const snippet = join(DEPLOY, 'nginx/gitlore-proxy.conf');

  it('accepts the TLS site (HTTPS, HTTP redirect) and the plain-HTTP site, with no warning', () => {
    for (const site of ['gitlore.conf', 'gitlore-http.conf']) {
      const dir = tempDir('gitlore-nginx-');
      const wrapper = wrapSite({ dir, site: join(DEPLOY, 'nginx', site), snippet, cert: selfSignedCert(dir) });
      const result = nginxTest(wrapper, dir);
      expect(result.status, result.output).toBe(0);
      expect(result.output, site).not.toMatch(/\[(warn|emerg|alert|crit)\]/);
    }
  });

  it('fails on a broken site file, so the check above can fail', () => {
    const dir = tempDir('gitlore-nginx-');
    const broken = join(dir, 'broken.conf');
    writeFileSync(broken, readFileSync(join(DEPLOY, 'nginx/gitlore.conf'), 'utf8').replace('return 301', 'retrun 301'));
    const result = nginxTest(wrapSite({ dir, site: broken, snippet, cert: selfSignedCert(dir) }), dir);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/unknown directive "retrun"/);
  });

  it('streams /api/ask and /mcp unbuffered, with a read timeout of at least 300 s, and caps request bodies', () => {
    const text = readFileSync(snippet, 'utf8');
    const sse = /location ~ \^\/\(api\/ask\|mcp\)\$ \{([^}]*)\}/.exec(text)?.[1] ?? '';
    expect(sse).toMatch(/proxy_buffering off;/);
    const timeout = Number(/proxy_read_timeout (\d+)s;/.exec(sse)?.[1]);
    expect(timeout).toBeGreaterThanOrEqual(300);
    // Above the server's own 1 MiB limit on /api/* (POST /api/search carries up to 1 MiB), so its JSON 413 answers.
    expect(text).toMatch(/^client_max_body_size 3m;/m);
    expect(text).toMatch(/proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
    expect(text).toMatch(/proxy_set_header X-Real-IP \$remote_addr;/);
  });
});

const systemd = needTools('systemd-analyze');
describe(`systemd-analyze verify on the units${systemd.note}`, { skip: systemd.skip }, () => {
  /** verify's warnings (unknown keys, bad values) go to stderr with exit 0: any output fails. */
  const verify = (dir: string, units: string[]) => {
    const result = spawnSync('systemd-analyze', ['verify', ...units.map((unit) => join(dir, unit))], { encoding: 'utf8' });
    return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
  };
  /** The units with ExecStart on this checkout's launcher (verify checks that it is executable). */
  const units = (edit: (text: string) => string = (t) => t) => {
    const dir = tempDir('gitlore-units-');
    for (const [from, to] of [
      ['gitlore.service', 'gitlore.service'],
      ['gitlore-worker@.service', 'gitlore-worker@.service'],
      ['gitlore-worker@.service', 'gitlore-worker@1.service'],
    ] as const) {
      const text = readFileSync(join(DEPLOY, from), 'utf8').replaceAll('/opt/gitlore/bin/gitlore', join(REPO, 'bin/gitlore'));
      writeFileSync(join(dir, to), edit(text));
    }
    return dir;
  };

  it('verifies gitlore.service and gitlore-worker@.service with no warning at all', () => {
    const dir = units();
    const result = verify(dir, ['gitlore.service', 'gitlore-worker@.service', 'gitlore-worker@1.service']);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('reports an unknown key on stderr though it exits 0, which the check above fails on', () => {
    const dir = units((text) => text.replace('[Service]\n', '[Service]\nRestartt=always\n'));
    const result = verify(dir, ['gitlore.service']);
    expect(result.output).toMatch(/Unknown key 'Restartt'/);
  });

  it('runs serve and worker hardened, restarting on failure, with a graceful stop', () => {
    for (const [unit, command] of [
      ['gitlore.service', 'serve'],
      ['gitlore-worker@.service', 'worker'],
    ]) {
      const text = readFileSync(join(DEPLOY, unit as string), 'utf8');
      const keys = new Map(
        text
          .split('\n')
          .filter((line) => /^[A-Za-z]+=/.test(line))
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
      expect(keys.get('ExecStart'), unit).toBe(`/opt/gitlore/bin/gitlore ${command}`);
      expect(keys.get('User')).toBe('gitlore');
      expect(keys.get('Restart')).toBe('on-failure');
      expect(keys.get('EnvironmentFile')).toBe('/etc/gitlore/gitlore.env');
      expect(keys.get('NoNewPrivileges')).toBe('yes');
      expect(keys.get('ProtectSystem')).toBe('strict');
      expect(keys.get('ProtectHome')).toBe('yes');
      expect(keys.get('PrivateTmp')).toBe('yes');
      expect(keys.get('ReadWritePaths')).toBe('/var/lib/gitlore');
      expect(keys.get('KillSignal')).toBe('SIGTERM');
      // serve drains requests for at most 10 s, then exits within 3 s more (src/server/serve.ts, src/cli/serve.ts).
      expect(Number(keys.get('TimeoutStopSec'))).toBeGreaterThanOrEqual(15);
    }
  });
});

const cloudInit = needTools('cloud-init', 'shellcheck');
describe(`cloud-init schema on deploy/cloud-init.yaml${cloudInit.note}`, { skip: cloudInit.skip }, () => {
  it('is valid cloud-config, and rejects a broken copy', () => {
    const ok = spawnSync('cloud-init', ['schema', '--config-file', join(DEPLOY, 'cloud-init.yaml')], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Valid cloud-config/);
    const dir = tempDir('gitlore-cloud-init-');
    const broken = join(dir, 'user-data.yaml');
    writeFileSync(broken, readFileSync(join(DEPLOY, 'cloud-init.yaml'), 'utf8').replace('package_update: true', 'package_update: 7'));
    const bad = spawnSync('cloud-init', ['schema', '--config-file', broken], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
  });

  it('runs deploy/setup.sh from a script it writes, which shellcheck passes, and holds no secret', () => {
    const text = readFileSync(join(DEPLOY, 'cloud-init.yaml'), 'utf8');
    const config = parse(text) as { write_files: { path: string; content: string }[]; runcmd: unknown[] };
    const script = config.write_files.find((file) => file.path === '/usr/local/sbin/gitlore-setup');
    expect(script?.content).toMatch(/deploy\/setup\.sh/);
    const dir = tempDir('gitlore-cloud-init-');
    writeFileSync(join(dir, 'gitlore-setup'), script?.content ?? '');
    const check = spawnSync('shellcheck', [join(dir, 'gitlore-setup')], { encoding: 'utf8' });
    expect(check.status, check.stdout).toBe(0);
    expect(JSON.stringify(config.runcmd)).toMatch(/gitlore-setup/);
    const conf = config.write_files.find((file) => file.path === '/etc/gitlore/setup.conf')?.content ?? '';
    for (const name of ['SECRET_KEY', 'GITHUB_TOKEN', 'GITHUB_CLIENT_SECRET', 'DATABASE_URL']) {
      expect(conf).not.toMatch(new RegExp(`^${name}=`, 'm'));
    }
  });
});

const shell = needTools('shellcheck');
describe(`shellcheck on the shell scripts${shell.note}`, { skip: shell.skip }, () => {
  it('passes every script in deploy/ and scripts/ and bin/gitlore, and fails a broken one', () => {
    const scripts = ['deploy', 'scripts'].flatMap((folder) =>
      readdirSync(join(REPO, folder))
        .filter((name) => name.endsWith('.sh'))
        .map((name) => join(REPO, folder, name)),
    );
    scripts.push(join(REPO, 'bin/gitlore')); // the launcher setup.sh links onto PATH
    expect(scripts).toContain(join(DEPLOY, 'setup.sh'));
    const result = spawnSync('shellcheck', scripts, { encoding: 'utf8' });
    expect(result.status, result.stdout).toBe(0);
    const dir = tempDir('gitlore-shellcheck-');
    copyFileSync(join(DEPLOY, 'setup.sh'), join(dir, 'setup.sh'));
    writeFileSync(join(dir, 'setup.sh'), `${readFileSync(join(dir, 'setup.sh'), 'utf8')}\nrm -rf $root/opt\n`);
    expect(spawnSync('shellcheck', [join(dir, 'setup.sh')]).status).not.toBe(0);
  });
});
