/**
 * A deterministic stand-in for the model, played by the scripted OpenAI-compatible server: it reads
 * the question and the tool results in each chat request it gets, as a model would, and either calls
 * the next tool with arguments taken from them or writes the answer from the last result. It knows
 * the dev set's question wordings; it never sees the gold answers. Its scores show that the harness
 * works and that gitlore's tools carry the facts to the model, not how good any model is.
 */
import type { ChatRequest, ScriptedTurn } from '../../test/fakes/chatServer.js';

type Message = ChatRequest['body']['messages'][number];

/** A message's text, whether the client sent a string or content parts. */
export function messageText(message: Message | undefined): string {
  const content = message?.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === 'string' ? p : String((p as { text?: string }).text ?? ''))).join('');
  return '';
}

/** The question as the user asked it (without gitlore's repository scope note). */
export function questionOf(request: ChatRequest): string {
  const user = request.body.messages.find((m) => m.role === 'user');
  return messageText(user)
    .replace(/\n\n\(Only these repositories: .*\)$/s, '')
    .trim();
}

/** The repository the question is about: gitlore's scope note, else the `owner/name` in the question. */
export function repoOf(request: ChatRequest): string {
  const user = messageText(request.body.messages.find((m) => m.role === 'user'));
  const scoped = /Only these repositories: ([\w.-]+)/.exec(user)?.[1];
  if (scoped) return scoped;
  return /\b[\w.-]+\/([\w.-]+?)(?: repository|,|\?|\s|$)/.exec(user)?.[1] ?? '';
}

/** The tool results so far, oldest first. */
export function toolResults(request: ChatRequest): string[] {
  return request.body.messages.filter((m) => m.role === 'tool').map(messageText);
}

const call = (name: string, args: Record<string, unknown>): ScriptedTurn => ({ toolCalls: [{ name, arguments: JSON.stringify(args) }] });

/** `get_commit_timeline` lines: `abcdef1234 2024-05-01T10:00:00+02:00 Name <email> subject`, with `    A path` file lines under each. */
export interface TimelineLine {
  hash: string;
  date: string;
  author: string;
  subject: string;
  files: { status: string; path: string }[];
}

export function parseTimeline(text: string): { total: number; commits: TimelineLine[] } {
  const total = Number(/^(\d+) matching commits/.exec(text)?.[1] ?? 0);
  const commits: TimelineLine[] = [];
  for (const line of text.split('\n')) {
    const c = /^([0-9a-f]{7,40}) (\S+) (.+?) <[^>]*> (.*)$/.exec(line);
    if (c) {
      commits.push({ hash: c[1] ?? '', date: c[2] ?? '', author: c[3] ?? '', subject: c[4] ?? '', files: [] });
      continue;
    }
    const f = /^ {4}(\S+) (?:.+ -> )?(.+)$/.exec(line);
    if (f) commits.at(-1)?.files.push({ status: f[1] ?? '', path: f[2] ?? '' });
  }
  return { total, commits };
}

/** `search_code` hits: `1. repo/path:12-30 Symbol (kind, language, score 1.2)`. */
export function parseHits(text: string): { repo: string; path: string; startLine: number; endLine: number; symbol: string | null }[] {
  return [...text.matchAll(/^\d+\. ([\w.-]+)\/(\S+):(\d+)-(\d+)(?: (\S+))? \(/gm)].map((m) => ({
    repo: m[1] ?? '',
    path: m[2] ?? '',
    startLine: Number(m[3]),
    endLine: Number(m[4]),
    symbol: m[5] ?? null,
  }));
}

/** The question kinds of the dev set, recognised from their wording. */
const HISTORY: { kind: string; pattern: RegExp }[] = [
  { kind: 'first_commit', pattern: /first commit in (?:the )?\S+ repository/ },
  { kind: 'last_author', pattern: /Who last changed (.+) in \S+, and in which commit\?/ },
  { kind: 'commits_in_month', pattern: /Which commits changed (.+) in \S+ during (\d{4}-\d{2})/ },
  { kind: 'file_added', pattern: /first added the file (.+) to \S+\?/ },
  { kind: 'top_author_dir', pattern: /most non-merge commits touching (.+) in \S+\?/ },
  { kind: 'files_in_commit', pattern: /commit titled "(.+)"\?$/ },
  { kind: 'commit_count', pattern: /How many non-merge commits have modified (.+) in \S+\?/ },
];

/** How the bench words a docstring question: the doc comment's first sentence, quoted. */
export function docstringQuestion(sentence: string): string {
  return `Which function, method or type does this doc comment describe: "${sentence}"? Cite its definition.`;
}
const DOCSTRING = /doc comment describe: "(.+)"\? Cite its definition\.$/s;

/** The next turn of the scripted model for a dev-set question. */
export function answerPolicy(request: ChatRequest): ScriptedTurn {
  const question = questionOf(request);
  const repo = repoOf(request);
  const results = toolResults(request);
  const last = results.at(-1) ?? '';
  const step = results.length;
  if (last.startsWith('Error:')) return { text: `The tool failed: ${last}` };

  const doc = DOCSTRING.exec(question);
  if (doc) {
    if (step === 0) return call('search_code', { query: doc[1], repos: [repo], limit: 5 });
    const top = parseHits(results[0] ?? '')[0];
    if (!top) return { text: 'Nothing in the code matches that doc comment.' };
    if (step === 1) return call('get_file', { repo: top.repo, path: top.path, startLine: top.startLine, endLine: top.endLine });
    return { text: `It is ${top.symbol ? `\`${top.symbol}\`` : 'the code'} at ${top.repo}/${top.path}:${top.startLine}-${top.endLine}.` };
  }

  const history = HISTORY.map((h) => ({ kind: h.kind, m: h.pattern.exec(question) })).find((h) => h.m);
  const [, a = '', b = ''] = history?.m ?? [];
  switch (history?.kind) {
    case 'first_commit': {
      if (step === 0) return call('get_commit_timeline', { repo, roots: true, order: 'oldest', limit: 10 });
      const c = parseTimeline(last).commits[0];
      return c
        ? { text: `The first commit is ${repo}@${c.hash}, "${c.subject}" by ${c.author}, made on ${c.date}.` }
        : { text: 'The timeline shows no root commit.' };
    }
    case 'last_author': {
      if (step === 0) return call('get_commit_timeline', { repo, path: a, limit: 1 });
      const c = parseTimeline(last).commits[0];
      return c
        ? { text: `${c.author} last changed ${a}, in ${repo}@${c.hash} ("${c.subject}", ${c.date}).` }
        : { text: 'No commit touches it.' };
    }
    case 'commits_in_month': {
      if (step === 0) return call('get_commit_timeline', { repo, path: a, since: b, until: b, limit: 100 });
      const commits = parseTimeline(last).commits;
      return {
        text: `${commits.length} commits changed ${a} during ${b}:\n${commits.map((c) => `- ${repo}@${c.hash} ${c.subject}`).join('\n')}`,
      };
    }
    case 'file_added': {
      if (step === 0) return call('get_commit_timeline', { repo, path: a, order: 'oldest', files: true, limit: 50 });
      const added = parseTimeline(last).commits.find((c) => c.files.some((f) => f.path === a && /^[ARC]/.test(f.status)));
      return added
        ? { text: `${a} was first added in ${repo}@${added.hash} ("${added.subject}") by ${added.author} on ${added.date}.` }
        : { text: `The timeline shows no commit adding ${a}.` };
    }
    case 'top_author_dir': {
      if (step === 0) return call('get_contributors', { repo, path: a, limit: 3 });
      const top = /^- (.+?) <[^>]*>: (\d+) commits/m.exec(last);
      return top ? { text: `${top[1]} authored the most non-merge commits touching ${a} (${top[2]}).` } : { text: 'No commits touch it.' };
    }
    case 'files_in_commit': {
      if (step === 0) return call('get_commit_timeline', { repo, grep: a, merges: true, limit: 50 });
      const hit = parseTimeline(results[0] ?? '').commits.find((c) => c.subject === a);
      if (!hit) return { text: `No commit is titled "${a}".` };
      if (step === 1) return call('get_commit', { repo, hash: hit.hash });
      // `  M 3\t1\tpath` or `  R 0\t0\told -> new`; with --no-renames a rename is both paths.
      const files = [...last.matchAll(/^ {2}(\S+) \S+\t\S+\t(.+)$/gm)].flatMap((m) => (m[2] ?? '').split(' -> '));
      return { text: `${repo}@${hit.hash} changed ${files.length} files:\n${files.map((f) => `- \`${f}\``).join('\n')}` };
    }
    case 'commit_count': {
      if (step === 0) return call('get_commit_timeline', { repo, path: a, limit: 1 });
      return { text: `${parseTimeline(last).total} non-merge commits have modified ${a}.` };
    }
    default:
      return { text: 'I do not know how to answer that.' };
  }
}
