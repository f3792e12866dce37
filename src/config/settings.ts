import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { MIN_SECRET_LENGTH } from '../shared/redact.js';
import { urlCredentials } from '../shared/urlCredentials.js';

/** How a boolean reads in env vars and .env files. */
const bool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off', ''])])
  .transform((v) => v === true || v === 'true' || v === '1' || v === 'yes' || v === 'on');

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const list = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean));
const optionalString = z.string().trim().min(1).optional();
/** An address, or a CIDR range whose prefix fits its family. */
const isAddressOrRange = (entry: string) => {
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
};
/** GITLORE_TRUST_PROXY: `none` (or off/false) trusts no proxy; otherwise `loopback`, addresses and CIDR ranges. */
const proxyList = list
  .transform((entries) => entries.map((e) => e.toLowerCase()))
  .refine((entries) => entries.length > 0 && entries.every((e) => ['none', 'off', 'false', 'loopback'].includes(e) || isAddressOrRange(e)))
  .refine((entries) => entries.length === 1 || !entries.some((e) => ['none', 'off', 'false'].includes(e)))
  .transform((entries) => entries.filter((e) => !['none', 'off', 'false'].includes(e)));
/** A service address: credentials belong in their own (secret) setting, never in a URL that is logged and shown. */
const serviceUrl = z
  .string()
  .url()
  .refine((v) => urlCredentials(v) === null);

/**
 * One row per setting: its env var, its config-file key and its schema.
 * The loader resolves each with the precedence flag > env > .env > file > default.
 */
export const SETTINGS = {
  dataDir: { env: 'GITLORE_DATA_DIR', schema: z.string().min(1), default: join(homedir(), '.gitlore'), allowed: 'a folder path' },
  reposPath: { env: 'REPOS_PATH', schema: optionalString, allowed: 'a folder path' },
  indexPath: { env: 'INDEX_PATH', schema: optionalString, allowed: 'a folder path' },
  githubOrgs: { env: 'GITHUB_ORG', schema: list, default: [] as string[], allowed: 'comma-separated organization names' },
  githubUsers: { env: 'GITHUB_USER', schema: list, default: [] as string[], allowed: 'comma-separated user names' },
  githubToken: { env: 'GITHUB_TOKEN', alias: 'GH_TOKEN', secret: true, schema: optionalString, allowed: 'a GitHub token' },
  githubApiUrl: {
    env: 'GITHUB_API_URL',
    schema: serviceUrl,
    default: 'https://api.github.com',
    allowed: 'an http(s) URL without credentials, such as https://github.example.com/api/v3',
  },
  includeArchived: { env: 'GITLORE_INCLUDE_ARCHIVED', schema: bool, default: false, allowed: 'true or false' },
  includeForks: { env: 'GITLORE_INCLUDE_FORKS', schema: bool, default: false, allowed: 'true or false' },
  maxParallelClones: { env: 'MAX_PARALLEL_CLONES', schema: int(1, 64), default: 4, allowed: 'an integer from 1 to 64' },
  syncTimeoutSec: { env: 'GITLORE_SYNC_TIMEOUT', schema: int(5, 86_400), default: 900, allowed: 'seconds, an integer from 5 to 86400' },
  syncRetries: { env: 'GITLORE_SYNC_RETRIES', schema: int(0, 10), default: 2, allowed: 'an integer from 0 to 10' },
  syncIntervalSec: {
    env: 'GITLORE_SYNC_INTERVAL',
    schema: int(0, 604_800),
    default: 900,
    allowed: 'seconds, an integer from 0 (off) to 604800',
  },
  lockWaitSec: {
    env: 'GITLORE_LOCK_WAIT',
    schema: int(0, 86_400),
    default: 60,
    allowed: 'seconds, an integer from 0 (refuse at once) to 86400',
  },
  skipClone: { env: 'SKIP_CLONE', schema: bool, default: false, allowed: 'true or false' },
  skipAutoIndex: { env: 'SKIP_AUTO_INDEX', schema: bool, default: false, allowed: 'true or false' },
  maxMemoryGb: {
    env: 'GITLORE_MAX_MEMORY_GB',
    schema: z.coerce.number().positive().max(4096).optional(),
    allowed: 'a positive number of GiB',
  },
  maxFileKb: { env: 'GITLORE_MAX_FILE_KB', schema: int(1, 1_048_576), default: 1024, allowed: 'an integer number of KiB' },
  databaseUrl: {
    env: 'DATABASE_URL',
    secret: true,
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//)
      .optional(),
    allowed: 'a postgres:// URL',
  },
  host: { env: 'HOST', schema: z.string().min(1), default: '127.0.0.1', allowed: 'a host name or IP address' },
  port: { env: 'PORT', schema: int(0, 65_535), default: 3000, allowed: 'a port number from 0 to 65535' },
  trustProxy: {
    env: 'GITLORE_TRUST_PROXY',
    schema: proxyList,
    default: ['loopback'] as string[],
    allowed:
      'loopback, none, or comma-separated IP addresses and CIDR ranges of the reverse proxies in front of gitlore (e.g. loopback,10.0.0.0/8)',
  },
  workerMetricsPort: {
    env: 'GITLORE_WORKER_METRICS_PORT',
    schema: int(0, 65_535).optional(),
    allowed: 'the port `gitlore worker` serves /metrics on, from 0 (a free one) to 65535; unset: none',
  },
  workerMetricsHost: {
    env: 'GITLORE_WORKER_METRICS_HOST',
    schema: z.string().min(1),
    default: '127.0.0.1',
    allowed: 'the host name or IP address `gitlore worker` serves /metrics on',
  },
  embeddings: {
    env: 'GITLORE_EMBEDDINGS',
    schema: z.enum(['local', 'openai', 'bedrock', 'ollama', 'none']),
    default: 'local',
    allowed: 'local, openai, bedrock, ollama or none',
  },
  embeddingsModel: { env: 'GITLORE_EMBEDDINGS_MODEL', schema: optionalString, allowed: 'a model name or a local model folder' },
  embeddingsDevice: {
    env: 'GITLORE_EMBEDDINGS_DEVICE',
    schema: z.enum(['auto', 'cpu', 'cuda']),
    default: 'auto',
    allowed: 'auto, cpu or cuda',
  },
  annMinVectors: {
    env: 'GITLORE_ANN_MIN_VECTORS',
    schema: int(0, 1_000_000_000),
    default: 150_000,
    allowed: 'an integer number of vectors (0 keeps vector search exact)',
  },
  llm: {
    env: 'GITLORE_LLM',
    schema: z.enum(['openai', 'anthropic', 'bedrock', 'ollama', 'none']),
    default: 'none',
    allowed: 'openai, anthropic, bedrock, ollama or none',
  },
  llmModel: { env: 'GITLORE_LLM_MODEL', schema: optionalString, allowed: 'a model id' },
  askMaxSteps: { env: 'GITLORE_ASK_MAX_STEPS', schema: int(1, 100), default: 12, allowed: 'an integer from 1 to 100' },
  askIdleTimeoutSec: {
    env: 'GITLORE_ASK_IDLE_TIMEOUT',
    schema: int(1, 600),
    default: 60,
    allowed: 'seconds the model may send nothing before the answer fails, an integer from 1 to 600',
  },
  askContextTokens: {
    env: 'GITLORE_ASK_CONTEXT_TOKENS',
    schema: int(2000, 10_000_000),
    default: 32_000,
    allowed:
      "tokens (estimated as characters / 4) one model request may carry, below the model's context window; an integer from 2000 to 10000000",
  },
  askTimeoutSec: { env: 'GITLORE_ASK_TIMEOUT', schema: int(5, 3600), default: 300, allowed: 'seconds, an integer from 5 to 3600' },
  openaiApiKey: { env: 'OPENAI_API_KEY', secret: true, schema: optionalString, allowed: 'an API key' },
  openaiBaseUrl: { env: 'OPENAI_BASE_URL', schema: serviceUrl.optional(), allowed: 'an http(s) URL without credentials' },
  anthropicApiKey: { env: 'ANTHROPIC_API_KEY', secret: true, schema: optionalString, allowed: 'an API key' },
  anthropicBaseUrl: { env: 'ANTHROPIC_BASE_URL', schema: serviceUrl.optional(), allowed: 'an http(s) URL without credentials' },
  awsRegion: { env: 'AWS_REGION', schema: optionalString, allowed: 'an AWS region' },
  bedrockModelId: { env: 'BEDROCK_MODEL_ID', schema: optionalString, allowed: 'a Bedrock model id' },
  bedrockEndpointUrl: {
    env: 'AWS_ENDPOINT_URL_BEDROCK_RUNTIME',
    alias: 'AWS_ENDPOINT_URL',
    schema: serviceUrl.optional(),
    allowed: 'an http(s) URL without credentials',
  },
  s3EndpointUrl: {
    env: 'AWS_ENDPOINT_URL_S3',
    alias: 'AWS_ENDPOINT_URL',
    schema: serviceUrl.optional(),
    allowed: 'the http(s) URL of an S3-compatible server, without credentials (path-style addressing is used with it)',
  },
  pgBinDir: {
    env: 'GITLORE_PG_BIN',
    schema: optionalString,
    allowed: 'the folder of pg_dump and pg_restore for backups of a PostgreSQL store (PATH when unset)',
  },
  backupUrl: { env: 'GITLORE_BACKUP_URL', schema: optionalString, allowed: 'a folder or s3://bucket/prefix that `serve` backs up to' },
  backupIntervalSec: {
    env: 'GITLORE_BACKUP_INTERVAL',
    schema: int(60, 2_592_000),
    default: 86_400,
    allowed: 'seconds between scheduled backups (with GITLORE_BACKUP_URL), an integer from 60 to 2592000',
  },
  backupKeep: {
    env: 'GITLORE_BACKUP_KEEP',
    schema: int(1, 100_000).optional(),
    allowed:
      'how many scheduled backups to keep in GITLORE_BACKUP_URL (older ones are pruned, as `gitlore backup --keep`), an integer from 1 to 100000; unset keeps all',
  },
  ollamaHost: { env: 'OLLAMA_HOST', schema: serviceUrl.optional(), allowed: 'an http(s) URL without credentials' },
  auth: { env: 'GITLORE_AUTH', schema: z.enum(['none', 'oidc', 'github']), default: 'none', allowed: 'none, oidc or github' },
  secretKey: {
    env: 'SECRET_KEY',
    secret: true,
    schema: z.string().min(16).optional(),
    allowed: 'a random string of at least 16 characters',
  },
  publicUrl: {
    env: 'GITLORE_PUBLIC_URL',
    schema: serviceUrl.optional(),
    allowed: 'the URL people open gitlore at (https://gitlore.example.com), used for sign-in redirects behind a proxy',
  },
  oidcIssuer: {
    env: 'OIDC_ISSUER',
    schema: serviceUrl.optional(),
    allowed: 'an OpenID Connect issuer URL (its /.well-known/openid-configuration is read)',
  },
  oidcClientId: { env: 'OIDC_CLIENT_ID', schema: optionalString, allowed: 'the client id registered at the issuer' },
  oidcClientSecret: {
    env: 'OIDC_CLIENT_SECRET',
    secret: true,
    schema: optionalString,
    allowed: 'the client secret registered at the issuer',
  },
  googleClientId: { env: 'GOOGLE_CLIENT_ID', schema: optionalString, allowed: 'a Google OAuth client id' },
  googleClientSecret: { env: 'GOOGLE_CLIENT_SECRET', secret: true, schema: optionalString, allowed: 'a Google OAuth client secret' },
  githubClientId: { env: 'GITHUB_CLIENT_ID', schema: optionalString, allowed: 'a GitHub OAuth app client id' },
  githubClientSecret: { env: 'GITHUB_CLIENT_SECRET', secret: true, schema: optionalString, allowed: 'a GitHub OAuth app client secret' },
  allowedDomains: { env: 'GITLORE_ALLOWED_DOMAINS', schema: list, default: [] as string[], allowed: 'comma-separated email domains' },
  allowedEmails: { env: 'GITLORE_ALLOWED_EMAILS', schema: list, default: [] as string[], allowed: 'comma-separated email addresses' },
  allowedOrgs: { env: 'GITLORE_ALLOWED_ORGS', schema: list, default: [] as string[], allowed: 'comma-separated GitHub organizations' },
  admins: { env: 'GITLORE_ADMINS', schema: list, default: [] as string[], allowed: 'comma-separated emails or GitHub logins' },
  defaultVisibility: {
    env: 'GITLORE_DEFAULT_VISIBILITY',
    schema: z.enum(['all', 'admins']),
    default: 'all',
    allowed: 'all or admins',
  },
  permissionSyncIntervalSec: {
    env: 'GITLORE_PERMISSION_SYNC_INTERVAL',
    schema: int(60, 2_592_000),
    default: 86_400,
    allowed: 'seconds, an integer from 60 to 2592000',
  },
  sessionIdleSec: {
    env: 'GITLORE_SESSION_IDLE',
    schema: int(300, 31_536_000),
    default: 7 * 86_400,
    allowed: 'seconds a session may go unused, an integer from 300 to 31536000',
  },
  sessionMaxAgeSec: {
    env: 'GITLORE_SESSION_MAX_AGE',
    schema: int(300, 31_536_000),
    default: 30 * 86_400,
    allowed: 'seconds a session lasts at most, an integer from 300 to 31536000',
  },
  webhookSecret: {
    env: 'GITHUB_WEBHOOK_SECRET',
    secret: true,
    schema: z.string().trim().min(MIN_SECRET_LENGTH).optional(),
    allowed: `the secret set on the GitHub webhook, at least ${MIN_SECRET_LENGTH} characters`,
  },
  logLevel: {
    env: 'GITLORE_LOG_LEVEL',
    schema: z.enum(['debug', 'info', 'warn', 'error', 'silent']),
    default: 'info',
    allowed: 'debug, info, warn, error or silent',
  },
  logFormat: {
    env: 'GITLORE_LOG_FORMAT',
    schema: z.enum(['text', 'json']),
    default: 'text',
    allowed: 'text or json (one JSON object a line: time, level, tag, msg and fields)',
  },
  metricsToken: {
    env: 'GITLORE_METRICS_TOKEN',
    secret: true,
    schema: z.string().trim().min(MIN_SECRET_LENGTH).optional(),
    allowed: `a bearer token that may read /metrics when auth is on, at least ${MIN_SECRET_LENGTH} characters`,
  },
  searchTimeoutMs: {
    env: 'GITLORE_SEARCH_TIMEOUT_MS',
    schema: int(1, 600_000),
    default: 5000,
    allowed: 'milliseconds, an integer from 1 to 600000',
  },
  blameBudgetMs: {
    env: 'GITLORE_BLAME_BUDGET_MS',
    schema: int(0, 60_000),
    default: 0,
    allowed: 'milliseconds a search waits for the last change of its hits, an integer from 0 to 60000',
  },
} as const;

export type SettingKey = keyof typeof SETTINGS;
