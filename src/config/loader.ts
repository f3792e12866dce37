import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { registerSecret } from '../shared/redact.js';
import { urlCredentials } from '../shared/urlCredentials.js';
import { SETTINGS, type SettingKey } from './settings.js';
import type { ResolvedConfig, SourceConfig } from './types.js';

export interface LoadConfigOptions {
  /** Values from command-line flags, keyed by setting name (highest precedence). */
  flags?: Partial<Record<SettingKey, unknown>>;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

const CONFIG_FILES = ['gitlore.config.json', 'gitlore.config.yaml', 'gitlore.config.yml'];

const sourceSchema = z.union([
  z
    .object({ type: z.literal('github'), org: z.string().min(1), token: z.string().optional(), apiUrl: z.string().url().optional() })
    .strict(),
  z
    .object({ type: z.literal('github'), user: z.string().min(1), token: z.string().optional(), apiUrl: z.string().url().optional() })
    .strict(),
  z.object({ type: z.literal('git'), url: z.string().min(1), name: z.string().min(1).optional() }).strict(),
  z.object({ type: z.literal('local'), path: z.string().min(1), name: z.string().min(1).optional() }).strict(),
]);

const fileSchema = z
  .object({
    sources: z.array(sourceSchema).optional(),
    include: z.array(z.string()).optional(),
    exclude: z.array(z.string()).optional(),
  })
  .passthrough();

/**
 * Resolves configuration with the precedence flag > env > .env > config file > default,
 * validating each value and naming the variable that is wrong.
 */
export function loadConfig(options: LoadConfigOptions = {}): ResolvedConfig {
  const env = options.env ?? process.env;
  const cwd = resolve(options.cwd ?? process.cwd());
  const flags = options.flags ?? {};
  const dotenv = readDotenv(cwd);
  const { data: file, path: configFile } = readConfigFile(cwd, env.GITLORE_CONFIG ?? dotenv.GITLORE_CONFIG);

  const values: Record<string, unknown> = {};
  const origins: Record<string, 'flag' | 'env' | '.env' | 'file' | 'default'> = {};
  for (const [key, setting] of Object.entries(SETTINGS) as [SettingKey, (typeof SETTINGS)[SettingKey]][]) {
    const names = 'alias' in setting ? [setting.env, setting.alias] : [setting.env];
    const pick = (source: Record<string, unknown>) => names.map((n) => source[n]).find((v) => v !== undefined && v !== '');
    let raw: unknown;
    let origin: (typeof origins)[string] = 'default';
    if (flags[key] !== undefined) [raw, origin] = [flags[key], 'flag'];
    else if (pick(env) !== undefined) [raw, origin] = [pick(env), 'env'];
    else if (pick(dotenv) !== undefined) [raw, origin] = [pick(dotenv), '.env'];
    else if (file[key] !== undefined || pick(file) !== undefined) [raw, origin] = [file[key] ?? pick(file), 'file'];
    origins[key] = origin;
    if (raw === undefined) {
      values[key] = 'default' in setting ? setting.default : undefined;
      continue;
    }
    const parsed = (setting.schema as z.ZodType).safeParse(raw);
    if (!parsed.success) {
      const where = origin === 'flag' ? `--${kebab(key)}` : origin === 'file' ? `${key} in ${configFile}` : setting.env;
      const hidden = ('secret' in setting && setting.secret) || (typeof raw === 'string' && urlCredentials(raw) !== null);
      const shown = hidden ? '(hidden)' : JSON.stringify(raw);
      throw new GitloreError(ERROR_CODES.CONFIG_INVALID, `Invalid ${where}: got ${shown}, expected ${setting.allowed}.`, {
        hint: origin === 'default' ? undefined : `Fix ${where}${origin === '.env' ? ' in .env' : ''}.`,
      });
    }
    values[key] = parsed.data;
    if ('secret' in setting && setting.secret) registerSecret(String(parsed.data ?? ''));
  }

  const dataDir = absolute(cwd, values.dataDir as string);
  const reposPath = values.reposPath ? absolute(cwd, values.reposPath as string) : join(dataDir, 'repos');
  const indexPath = values.indexPath ? absolute(cwd, values.indexPath as string) : join(dataDir, 'index');
  const sources: SourceConfig[] = [...((file.sources as SourceConfig[] | undefined) ?? [])];
  for (const org of values.githubOrgs as string[]) {
    if (!sources.some((s) => s.type === 'github' && 'org' in s && s.org === org)) sources.push({ type: 'github', org });
  }
  for (const user of values.githubUsers as string[]) {
    if (!sources.some((s) => s.type === 'github' && 'user' in s && s.user === user)) sources.push({ type: 'github', user });
  }
  for (const source of sources) {
    if (source.type === 'github') registerSecret(source.token);
    if (source.type === 'local') (source as { path: string }).path = absolute(cwd, source.path);
  }

  if (values.auth === 'none' && !isLoopback(values.host as string) && env.GITLORE_ALLOW_OPEN !== 'true') {
    // Auth 'none' on a public address is refused by `serve` itself (server/auth), not here,
    // so that read-only CLI commands keep working with the same config.
  }

  return Object.freeze({
    ...(values as object),
    dataDir,
    reposPath,
    indexPath,
    dbPath: join(indexPath, 'gitlore.db'),
    vectorIndexPath: join(indexPath, 'vectors'),
    sources: Object.freeze(sources),
    include: Object.freeze((file.include as string[] | undefined) ?? []),
    exclude: Object.freeze((file.exclude as string[] | undefined) ?? []),
    origins: Object.freeze(origins),
    configFile,
    cwd,
  }) as ResolvedConfig;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function readDotenv(cwd: string): Record<string, string> {
  const path = join(cwd, '.env');
  if (!existsSync(path)) return {};
  return parseDotenv(readFileSync(path));
}

function readConfigFile(cwd: string, explicit: string | undefined): { data: Record<string, unknown>; path: string | null } {
  const candidates = explicit ? [absolute(cwd, explicit)] : CONFIG_FILES.map((f) => join(cwd, f));
  const path = candidates.find((p) => existsSync(p));
  if (!path) {
    if (explicit) {
      throw new GitloreError(ERROR_CODES.CONFIG_INVALID, `Config file ${explicit} does not exist.`, { hint: 'Fix GITLORE_CONFIG.' });
    }
    return { data: {}, path: null };
  }
  let raw: unknown;
  try {
    const text = readFileSync(path, 'utf8');
    // The YAML parser costs more start-up than the rest of the config: loaded only for a YAML file.
    raw = path.endsWith('.json') ? JSON.parse(text) : (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text);
  } catch (error) {
    throw new GitloreError(ERROR_CODES.CONFIG_INVALID, `Cannot parse ${path}: ${(error as Error).message.split('\n')[0]}`, {
      hint: 'Fix the syntax of the config file.',
    });
  }
  const parsed = fileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.join('.') || '(root)';
    throw new GitloreError(ERROR_CODES.CONFIG_INVALID, `Invalid ${at} in ${path}: ${issue?.message ?? 'bad value'}.`, {
      hint: 'Each source is {"type":"github","org"|"user"}, {"type":"git","url"} or {"type":"local","path"}.',
    });
  }
  const sources = parsed.data.sources ?? [];
  const withCredentials = sources.findIndex((s) =>
    s.type === 'git' ? urlCredentials(s.url) : s.type === 'github' && s.apiUrl !== undefined && urlCredentials(s.apiUrl),
  );
  if (withCredentials >= 0) {
    const field = sources[withCredentials]?.type === 'git' ? 'url' : 'apiUrl';
    // The URL itself is never repeated: it holds the secret.
    throw new GitloreError(
      ERROR_CODES.CONFIG_INVALID,
      `Invalid sources.${withCredentials}.${field} in ${path}: the URL contains credentials.`,
      {
        hint: 'Remove the user:password@ (or token@) part: set GITHUB_TOKEN for https, or use an ssh key (git@host:org/repo.git).',
      },
    );
  }
  return { data: parsed.data as Record<string, unknown>, path };
}

function absolute(cwd: string, path: string): string {
  if (path.startsWith('~/')) return join(process.env.HOME ?? '', path.slice(2));
  return isAbsolute(path) ? path : resolve(cwd, path);
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
