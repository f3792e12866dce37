import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const DEPLOY = join(REPO, 'deploy');

/** Where each tool comes from: `bash scripts/test.sh` (GITLORE_SETUP_TEST_DEPS=1 scripts/setup.sh) installs it. */
const PACKAGES: Record<string, string> = {
  nginx: 'nginx-light',
  shellcheck: 'shellcheck',
  'cloud-init': 'cloud-init',
  openssl: 'openssl',
  'systemd-analyze': 'systemd',
};

export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/**
 * The title suffix of a describe block needing these tools, and whether to skip it: only where a tool is missing and
 * this is not CI (CI runs scripts/test.sh as root, which installs them, so a missing one there fails the run).
 */
export function needTools(...names: string[]): { skip: boolean; note: string } {
  const missing = names.filter((name) => !hasTool(name));
  if (missing.length === 0) return { skip: false, note: '' };
  const packages = missing.map((name) => PACKAGES[name] ?? name).join(' ');
  const note = ` (needs ${missing.join(', ')}: apt-get install ${packages}, or run bash scripts/test.sh)`;
  if (process.env.CI === 'true') throw new Error(`deploy tests${note}`);
  return { skip: true, note: ` — skipped${note}` };
}

/** A self-signed certificate for localhost, made with openssl, in `dir`. */
export function selfSignedCert(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'fullchain.pem');
  const key = join(dir, 'privkey.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost'],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface SiteOptions {
  /** The folder holding the rendered files, logs and temp folders (nginx's -p prefix). */
  dir: string;
  /** deploy/nginx/gitlore.conf or gitlore-http.conf (or a site file setup.sh wrote). */
  site: string;
  /** The proxy snippet the site includes (deploy/nginx/gitlore-proxy.conf or the one setup.sh wrote). */
  snippet: string;
  cert?: { cert: string; key: string };
  /** Loopback ports for `listen 80` and `listen 443`; the IPv6 listens are dropped. */
  httpPort?: number;
  httpsPort?: number;
  /** gitlore's port, in place of 3000 in the snippet. */
  upstreamPort?: number;
  /** Replaces /var/www/letsencrypt (the ACME webroot). */
  webroot?: string;
}

/**
 * The shipped site file inside a minimal nginx.conf (events {} http { include … }) as Debian's would hold it, with
 * only the machine paths and ports replaced. Returns the wrapper's path.
 */
export function wrapSite(options: SiteOptions): string {
  const { dir } = options;
  mkdirSync(join(dir, 'tmp'), { recursive: true });
  chmodSync(dir, 0o755);
  chmodSync(join(dir, 'tmp'), 0o777);
  let snippet = readFileSync(options.snippet, 'utf8');
  if (options.upstreamPort) snippet = snippet.replaceAll('127.0.0.1:3000', `127.0.0.1:${options.upstreamPort}`);
  const snippetPath = join(dir, 'gitlore-proxy.conf');
  writeFileSync(snippetPath, snippet);
  let site = readFileSync(options.site, 'utf8').replaceAll('/etc/nginx/snippets/gitlore-proxy.conf', snippetPath);
  if (options.cert) {
    site = site
      .replace(/ssl_certificate\s+\S+;/, `ssl_certificate ${options.cert.cert};`)
      .replace(/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${options.cert.key};`);
  }
  if (options.httpPort) site = site.replace(/listen 80;/g, `listen 127.0.0.1:${options.httpPort};`);
  if (options.httpsPort) site = site.replace(/listen 443 ssl/g, `listen 127.0.0.1:${options.httpsPort} ssl`);
  if (options.httpPort || options.httpsPort) site = site.replace(/^\s*listen \[::\]:\d+[^;]*;\n/gm, '');
  if (options.webroot) site = site.replaceAll('/var/www/letsencrypt', options.webroot);
  const sitePath = join(dir, 'site.conf');
  writeFileSync(sitePath, site);
  const wrapper = join(dir, 'nginx.conf');
  writeFileSync(
    wrapper,
    [
      // As root nginx's workers would run as nobody; the test's files are root's.
      process.getuid?.() === 0 ? 'user root;' : '',
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'error.log')} info;`,
      'worker_processes 1;',
      'events { worker_connections 64; }',
      'http {',
      '  include /etc/nginx/mime.types;',
      `  access_log ${join(dir, 'access.log')};`,
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${join(dir, 'tmp', kind)};`),
      `  include ${sitePath};`,
      '}',
      '',
    ].join('\n'),
  );
  return wrapper;
}

/** `nginx -t` on a wrapper: exit status and everything it printed. */
export function nginxTest(wrapper: string, dir: string): { status: number | null; output: string } {
  const result = spawnSync('nginx', ['-t', '-q', '-e', join(dir, 'error.log'), '-p', dir, '-c', wrapper], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
