import { z } from 'zod';
import { ALL_TOOLS } from '../core/tools/index.js';
import { ERROR_CODES } from '../shared/errors.js';
import { SEARCH_LIMIT, SEARCH_MODES } from '../shared/searchLimits.js';

type Json = Record<string, unknown>;

const errorSchema: Json = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string', enum: Object.values(ERROR_CODES) }, message: { type: 'string' }, hint: { type: 'string' } },
    },
  },
};

function toolOutput(name: string): Json {
  const tool = ALL_TOOLS.find((t) => t.name === name);
  return tool ? (z.toJSONSchema(z.object(tool.outputSchema), { unrepresentable: 'any' }) as Json) : { type: 'object' };
}

const q = (name: string, description: string, schema: Json = { type: 'string' }, required = false): Json => ({
  name,
  in: 'query',
  required,
  description,
  schema,
});
const p = (name: string, description: string): Json => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });

function ok(description: string, schema: Json = { type: 'object' }, status = '200'): Json {
  return {
    [status]: { description, content: { 'application/json': { schema } } },
    '4XX': { description: 'Bad request, unknown repo/file, missing token', content: { 'application/json': { schema: errorSchema } } },
  };
}

function body(schema: z.ZodType): Json {
  return { required: false, content: { 'application/json': { schema: z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) } } };
}

/** The OpenAPI 3.1 description of the HTTP API, served at /api/openapi.json. */
export function openApiDocument(version: string): Json {
  const limit = { type: 'integer', minimum: 1, maximum: 100 };
  return {
    openapi: '3.1.0',
    info: {
      title: 'gitlore',
      version,
      description: 'Code search, history and repository data for an organization. MCP is served at /mcp.',
    },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'An API token from `gitlore token create`; required when HOST is not loopback.',
        },
      },
      schemas: { Error: errorSchema },
    },
    security: [{ bearer: [] }],
    paths: {
      '/health': { get: { summary: 'Liveness; never needs a token', security: [], responses: ok('Server is up') } },
      '/api/repos': {
        get: {
          summary: 'List repositories',
          parameters: [q('q', 'substring of name or description')],
          responses: ok('Repositories', toolOutput('list_repos')),
        },
      },
      '/api/repos/{repo}': {
        get: {
          summary: 'Repository overview',
          parameters: [p('repo', 'repository name')],
          responses: ok('Overview', toolOutput('get_repo_overview')),
        },
      },
      '/api/repos/{repo}/contributors': {
        get: {
          summary: 'Contributors ranked by non-merge commits',
          parameters: [p('repo', 'repository name'), q('path', 'limit to a path')],
          responses: ok('Contributors', toolOutput('get_contributors')),
        },
      },
      '/api/search': {
        get: {
          summary: 'Search code',
          parameters: [
            q('q', 'the query', { type: 'string', minLength: 1, maxLength: 1000 }, true),
            { ...q('repo', 'repository name; repeatable', { type: 'array', items: { type: 'string' } }), explode: true },
            q('lang', 'language'),
            q('path', 'path glob'),
            q('mode', 'search mode', { type: 'string', enum: [...SEARCH_MODES] }),
            q('limit', `max results (default ${SEARCH_LIMIT.default})`, {
              type: 'integer',
              minimum: SEARCH_LIMIT.min,
              maximum: SEARCH_LIMIT.max,
            }),
          ],
          responses: ok('Hits as in `gitlore search --json`', toolOutput('search_code')),
        },
      },
      '/api/files/{repo}/{path}': {
        get: {
          summary: 'File text at a ref (HEAD by default); the path may contain slashes',
          parameters: [
            p('repo', 'repository name'),
            p('path', 'file path relative to the repository root'),
            q('ref', 'branch, tag or commit'),
            q('startLine', '1-based', { type: 'integer', minimum: 1 }),
            q('endLine', 'inclusive', { type: 'integer', minimum: 1 }),
          ],
          responses: ok('File text', {
            type: 'object',
            properties: {
              repo: { type: 'string' },
              path: { type: 'string' },
              ref: { type: 'string' },
              startLine: { type: 'integer' },
              endLine: { type: 'integer' },
              totalLines: { type: 'integer' },
              text: { type: 'string' },
            },
          }),
        },
      },
      '/api/commits': {
        get: {
          summary: 'Commit timeline as in `gitlore log --json`',
          parameters: [
            q('repo', 'repository name', { type: 'string' }, true),
            q('path', 'limit to a path'),
            q('author', 'author name or email'),
            q('since', 'date'),
            q('until', 'date'),
            q('grep', 'text in the message'),
            q('order', 'newest or oldest first', { type: 'string', enum: ['newest', 'oldest'] }),
            q('merges', 'include merges', { type: 'boolean' }),
            q('limit', 'page size', limit),
          ],
          responses: ok('Commits', toolOutput('get_commit_timeline')),
        },
      },
      '/api/commits/{repo}/{hash}': {
        get: {
          summary: 'One commit',
          parameters: [p('repo', 'repository name'), p('hash', 'commit hash')],
          responses: ok('Commit', toolOutput('get_commit')),
        },
      },
      '/api/ask': {
        post: {
          summary: 'Ask a question (server-sent events); 501 unless GITLORE_LLM is set',
          requestBody: body(z.object({ question: z.string(), repos: z.array(z.string()).optional() })),
          responses: ok('Answer stream'),
        },
      },
      '/api/query': {
        post: {
          summary: 'Ask a question (JSON, kept for earlier clients); 501 unless GITLORE_LLM is set',
          requestBody: body(z.object({ question: z.string(), repos: z.array(z.string()).optional() })),
          responses: ok('Answer'),
        },
      },
      '/api/ingest': {
        post: {
          summary: 'Sync a GitHub org or user once (the token is used for that run only, never stored)',
          requestBody: body(z.object({ username: z.string().optional(), org: z.string().optional(), github_token: z.string().optional() })),
          responses: ok('Job queued', { type: 'object' }, '202'),
        },
      },
      '/api/sync': {
        post: {
          summary: 'Queue a sync (then an incremental index) of one repo or all',
          requestBody: body(z.object({ repo: z.string().optional() })),
          responses: ok('Job queued', { type: 'object' }, '202'),
        },
      },
      '/api/sync/status': { get: { summary: 'Background jobs and per-repository sync state', responses: ok('Sync status') } },
      '/api/index/status': { get: { summary: 'Index state per repository and background jobs', responses: ok('Index status') } },
      '/api/openapi.json': { get: { summary: 'This document', responses: ok('OpenAPI document') } },
      '/mcp': { post: { summary: 'MCP over Streamable HTTP (stateless, JSON responses)', responses: ok('JSON-RPC response') } },
      '/webhooks/github': {
        post: {
          summary: 'GitHub push webhook; HMAC-SHA256 verified with GITHUB_WEBHOOK_SECRET (X-Hub-Signature-256); no token needed',
          security: [],
          responses: ok('Sync of the pushed repository queued', { type: 'object' }, '202'),
        },
      },
    },
  };
}
