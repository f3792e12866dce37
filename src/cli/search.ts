import { open } from 'node:fs/promises';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import {
  MAX_TEXT_QUERY_BYTES,
  SEARCH_MODES as MODES,
  PER_FILE,
  SEARCH_GROUPS,
  SEARCH_LIMIT,
  TEXT_QUERY_HINT as TEXT_HINT,
} from '../shared/searchLimits.js';
import type { RegisterCommand } from './context.js';
import { wholeNumber } from './flags.js';

interface SearchFlags {
  repo?: string[];
  lang?: string;
  path?: string;
  mode?: string;
  limit?: string;
  file?: string;
  group?: string;
  perFile?: number;
  json?: boolean;
}

const MEGABYTES = MAX_TEXT_QUERY_BYTES / 1024 / 1024;

/** The text of `--file PATH` (`-`: standard input), refused past MAX_TEXT_QUERY_BYTES before more is read. */
async function readQueryText(source: string, stdin: AsyncIterable<string | Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  const tooLarge = (what: string) =>
    new GitloreError(ERROR_CODES.QUERY_INVALID, `${what}; the limit is ${MAX_TEXT_QUERY_BYTES} (${MEGABYTES} MB).`, { hint: TEXT_HINT });
  if (source === '-') {
    for await (const chunk of stdin) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > MAX_TEXT_QUERY_BYTES) throw tooLarge(`The text on standard input is over ${MAX_TEXT_QUERY_BYTES} bytes`);
      chunks.push(buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  let file: Awaited<ReturnType<typeof open>>;
  try {
    file = await open(source, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new GitloreError(
      ERROR_CODES.USAGE,
      `Cannot read --file ${source}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}.`,
      {
        hint: 'Pass the path of a text file (an issue, a stack trace), or - to read standard input.',
      },
    );
  }
  try {
    const { size: bytes, isFile } = await file.stat().then((st) => ({ size: st.size, isFile: st.isFile() }));
    if (!isFile) {
      throw new GitloreError(ERROR_CODES.USAGE, `--file ${source} is not a file.`, {
        hint: 'Pass the path of a text file, or - to read standard input.',
      });
    }
    if (bytes > MAX_TEXT_QUERY_BYTES) throw tooLarge(`--file ${source} is ${bytes} bytes`);
    return await file.readFile('utf8');
  } finally {
    await file.close();
  }
}

/** How long `gitlore search` waits for last changes not cached yet (the server waits GITLORE_BLAME_BUDGET_MS). */
const CLI_BLAME_BUDGET_MS = 1000;

const collect = (value: string, previous: string[] = []) => [...previous, value];

export const registerSearch: RegisterCommand = (program, ctx) => {
  program
    .command('search')
    .description('search code across repositories (hybrid: words + meaning + symbol names)')
    .argument(
      '[query...]',
      'words, an identifier, the query syntax (repo:api lang:go "retry with" -test), a regex with --mode regex, or - to read standard input',
    )
    .option('--repo <name>', 'only this repository (repeatable)', collect)
    .option('--lang <language>', 'only this language (typescript, python, go, …)')
    .option('--path <glob>', 'only paths matching this glob or folder prefix')
    .option('--mode <mode>', `${MODES.join(' | ')}`, 'hybrid')
    .option('--limit <n>', `maximum results (${SEARCH_LIMIT.min}-${SEARCH_LIMIT.max}; default ${SEARCH_LIMIT.default}, or count:N)`)
    .option('--file <path>', `read the query from a file (an issue, a stack trace; up to ${MEGABYTES} MB); - reads standard input`)
    .option('--group <by>', `${SEARCH_GROUPS.join(' | ')}: one result per file, with its best chunks (--limit then counts files)`)
    .option(
      '--per-file <n>',
      `at most n chunks of one file before the other files' next ones (default: past a file's ${PER_FILE.default} best, each further one ranks a little lower)`,
      wholeNumber('--per-file', PER_FILE.min, PER_FILE.max),
    )
    .option('--json', 'print one JSON document')
    // `-test` and `-file:x` are query words (exclusions), not options; a mistyped `--flag` is refused below.
    .allowUnknownOption()
    .addHelpText(
      'after',
      '\nExamples:\n  gitlore search "parse the config file"\n  gitlore search handleRequest --mode symbol\n  gitlore search "TODO\\(\\w+\\)" --mode regex --lang go\n  gitlore search \'repo:api lang:go "retry with" backoff OR jitter -file:*_test.go\'\n  gitlore search type:commit author:alice fix timeout\n  gitlore search \'type:diff +retryPolicy order:oldest\' --repo api\n  gitlore search \'type:diff removed:setTimeout file:src/\'\n  gitlore search --file issue.md --group file --limit 10\n  pbpaste | gitlore search - --repo api\n\nQuery syntax: repo: -repo: lang: -lang: file:/path: -file: sym: content: case:yes type:code|symbol|commit|diff count:N\nauthor: order:relevance|newest|oldest (commit, diff); +word added:word removed:word (diff)\n"exact phrase", a OR b, -word, /regex/ (see the README, "Query syntax").\n\nRegex mode uses RE2 syntax (linear time; no backreferences or lookaround; (?i) for case-insensitive) and stops\nafter GITLORE_SEARCH_TIMEOUT_MS (default 5000) with the matches found so far, marked partial.',
    )
    .action(
      ctx.action(async (words: string[], opts: SearchFlags) => {
        const flag = words.find((w) => /^--[A-Za-z][\w-]*(=.*)?$/.test(w));
        if (flag) {
          throw new GitloreError(ERROR_CODES.USAGE, `Unknown option ${flag.replace(/=.*/, '')}.`, {
            hint: 'Run `gitlore search --help` for the options; to search for the text, put it in quotes inside the query (\'"--flag"\').',
          });
        }
        if (words.length > 0 && opts.file !== undefined) {
          throw new GitloreError(ERROR_CODES.USAGE, 'Give the query as words or with --file, not both.', {
            hint: 'Put filters in flags (--repo, --lang, --path) or in the file.',
          });
        }
        if (words.length === 0 && opts.file === undefined) {
          throw new GitloreError(ERROR_CODES.USAGE, 'No query.', {
            hint: 'Pass words (gitlore search "parse the config"), --file PATH, or - to read standard input.',
          });
        }
        const source = opts.file ?? (words.length === 1 && words[0] === '-' ? '-' : null);
        const query = source === null ? words.join(' ') : await readQueryText(source, ctx.stdin);
        if (opts.group !== undefined && !(SEARCH_GROUPS as readonly string[]).includes(opts.group)) {
          throw new GitloreError(ERROR_CODES.USAGE, `Unknown --group ${opts.group}.`, { hint: `Use ${SEARCH_GROUPS.join(', ')}.` });
        }
        if (!(MODES as readonly string[]).includes(opts.mode ?? 'hybrid')) {
          throw new GitloreError(ERROR_CODES.USAGE, `Unknown --mode ${opts.mode}.`, { hint: `Use one of ${MODES.join(', ')}.` });
        }
        const limit = opts.limit === undefined ? undefined : Number(opts.limit);
        if (limit !== undefined && (!Number.isInteger(limit) || limit < SEARCH_LIMIT.min || limit > SEARCH_LIMIT.max)) {
          throw new GitloreError(ERROR_CODES.USAGE, `Invalid --limit ${opts.limit}.`, {
            hint: `Use an integer from ${SEARCH_LIMIT.min} to ${SEARCH_LIMIT.max}.`,
          });
        }
        const app = await ctx.app();
        const [{ searchCode }, { createContext }] = await Promise.all([import('../core/searchCode.js'), import('../core/context.js')]);
        const result = await searchCode(
          {
            query,
            repos: opts.repo,
            language: opts.lang,
            path: opts.path,
            mode: opts.mode as (typeof MODES)[number],
            limit,
            ...(opts.group ? { group: opts.group as (typeof SEARCH_GROUPS)[number] } : {}),
            ...(opts.perFile !== undefined ? { perFile: opts.perFile } : {}),
            // One command, not a server: worth a second to show the last changes git has not been asked for yet.
            lastChangeBudgetMs: Math.max(app.config.blameBudgetMs, CLI_BLAME_BUDGET_MS),
          },
          createContext(app),
        );
        if (opts.json) {
          ctx.out.json(result);
          return;
        }
        if (result.partial) ctx.terminal.line(`partial results: ${result.partialReason}`);
        if (result.commits) {
          for (const c of result.commits) ctx.out.line(`${c.repo} ${c.hash.slice(0, 12)} ${c.date.slice(0, 10)} ${c.author}  ${c.subject}`);
          ctx.out.line(`${result.commits.length} commits in ${result.tookMs} ms`);
          return;
        }
        if (result.diffs) {
          for (const d of result.diffs) {
            ctx.out.line(`${d.repo} ${d.hash.slice(0, 12)} ${d.date.slice(0, 10)} ${d.author}  ${d.subject}`);
            for (const f of d.files) {
              ctx.out.line(`    ${f.path}`);
              for (const l of f.lines) ctx.out.line(`      ${l.kind}${String(l.line).padStart(5)}  ${l.text}`);
            }
          }
          for (const r of result.incomplete ?? [])
            ctx.terminal.line(`${r.repo}: diff index still building (${r.pendingCommits} commits left)`);
          ctx.out.line(`${result.diffs.length} commits in ${result.tookMs} ms`);
          return;
        }
        if (result.results.length === 0) {
          ctx.out.line(`no results for ${JSON.stringify(query.length > 80 ? `${query.slice(0, 80)}…` : query)} (${result.tookMs} ms)`);
          return;
        }
        for (const hit of result.results) {
          ctx.out.line(
            `${hit.repo}/${hit.path}:${hit.startLine}-${hit.endLine}${hit.symbol ? `  ${hit.symbol}` : ''}  [${hit.kind}, ${hit.score}]`,
          );
          if (hit.lastChange) {
            const c = hit.lastChange;
            ctx.out.line(`    ${c.hash.slice(0, 8)} ${c.date.slice(0, 10)} ${c.author}: ${c.subject}`);
          }
          if (hit.chunks) {
            for (const c of hit.chunks) ctx.out.line(`    :${c.startLine}-${c.endLine}${c.symbol ? `  ${c.symbol}` : ''}  [${c.score}]`);
          } else {
            for (const line of hit.snippet.split('\n').slice(0, 6)) ctx.out.line(`    ${line}`);
          }
          ctx.out.line();
        }
        ctx.out.line(`${result.results.length} ${opts.group ? 'files' : 'results'} in ${result.tookMs} ms`);
      }),
    );
};
