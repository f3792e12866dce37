import { describe, expect, it } from 'vitest';
import { GitloreError } from './errors.js';
import { asPastedText, isPastedText, KNOWN_FILTERS, parseQuery, phrasesAsWords, plainWords, rankedText } from './queryLanguage.js';

/** The error a query raises (fails the test when it parses). */
function failure(query: string, options?: Parameters<typeof parseQuery>[1]): GitloreError {
  try {
    parseQuery(query, options);
  } catch (error) {
    expect(error).toBeInstanceOf(GitloreError);
    return error as GitloreError;
  }
  throw new Error(`${query} parsed`);
}

/** The column under the caret of a caret hint. */
function caretColumn(hint: string | undefined): number {
  const lines = (hint ?? '').split('\n');
  return (lines[1]?.indexOf('^') ?? -1) - 1;
}

describe('query language: filters', () => {
  it('reads repo: as a name, a glob or a /regex/, and -repo: as an exclusion', () => {
    const q = parseQuery('repo:api repo:acme/web-* repo:/^svc-/ -repo:legacy retry');
    expect(q.repos.include).toEqual([
      { kind: 'name', value: 'api', column: 1 },
      { kind: 'glob', value: 'acme/web-*', column: 10 },
      { kind: 'regex', value: '^svc-', column: 26 },
    ]);
    expect(q.repos.exclude).toEqual([{ kind: 'name', value: 'legacy', column: 39 }]);
    expect(q.words.map((w) => w.value)).toEqual(['retry']);
  });

  it('checks lang: values while parsing, with -lang: and the language: alias', () => {
    const q = parseQuery('lang:go language:ts -lang:python x');
    expect(q.languages.include.map((l) => l.value)).toEqual(['go', 'ts']);
    expect(q.languages.exclude.map((l) => l.value)).toEqual(['python']);
    const e = failure('x lang:golang2');
    expect(e.code).toBe('QUERY_INVALID');
    expect(e.message).toMatch(/^Unknown language "golang2" at column 8; did you mean golang\?/);
    expect(caretColumn(e.hint)).toBe(8);
  });

  it('reads file: and path: as globs or regexes, -file: and -path: as exclusions', () => {
    const q = parseQuery('file:src/**/*.go path:cmd/ file:/_gen\\.go$/ -file:*_test.go -path:vendor/ x');
    expect(q.files.include).toEqual([
      { kind: 'glob', value: 'src/**/*.go', column: 1 },
      { kind: 'glob', value: 'cmd/', column: 18 },
      { kind: 'regex', value: '_gen\\.go$', column: 28 },
    ]);
    expect(q.files.exclude.map((f) => f.value)).toEqual(['*_test.go', 'vendor/']);
  });

  it('reads sym:, case:, type:, count: and author: (with type:commit)', () => {
    const q = parseQuery('sym:handleRequest symbol:Router.get case:yes type:symbol count:25');
    expect(q.symbols.map((s) => s.value)).toEqual(['handleRequest', 'Router.get']);
    expect(q.caseSensitive).toBe(true);
    expect(q.type).toEqual({ value: 'symbol', column: 46 });
    expect(q.count).toBe(25);
    expect(parseQuery('x case:no').caseSensitive).toBe(false);
    expect(parseQuery('x count:all').count).toBe(200);
    expect(parseQuery('x count:5000').count).toBe(200);
    expect(parseQuery('type:commits author:alice fix').author).toEqual({ value: 'alice', column: 14 });
    expect(failure('author:alice fix').message).toMatch(/^author: needs type:commit or type:diff at column 1/);
    expect(failure('order:oldest fix').message).toMatch(/^order: needs type:commit or type:diff at column 1/);
    expect(failure('type:commit order:first').message).toMatch(/^Unknown order:first at column 19/);
    expect(failure('added:x fix').message).toMatch(/^added: and removed: need type:diff at column 7/);
    // type:diff: `+word` and added: are added lines, removed: removed lines, `-word` stays an exclusion.
    const diff = parseQuery('type:diff +retryPolicy added:"a b" removed:setTimeout -legacy plain author:bob order:oldest');
    expect(diff.added.map((t) => [t.value, t.column])).toEqual([
      ['retryPolicy', 12],
      ['a b', 30],
    ]);
    expect(diff.removed.map((t) => t.value)).toEqual(['setTimeout']);
    expect(diff.exclude.map((t) => t.value)).toEqual(['legacy']);
    expect(diff.words.map((t) => t.value)).toEqual(['plain']);
    expect(diff.author?.value).toBe('bob');
    expect(diff.order?.value).toBe('oldest');
    // Elsewhere `+word` is text as typed.
    expect(parseQuery('+retryPolicy').words.map((t) => t.value)).toEqual(['+retryPolicy']);
  });

  it('takes quoted filter values and content: as a phrase', () => {
    const q = parseQuery('file:"docs/my guide.md" content:"a b" -content:"c d"');
    expect(q.files.include[0]?.value).toBe('docs/my guide.md');
    expect(q.phrases.map((p) => p.value)).toEqual(['a b']);
    expect(q.exclude.map((p) => p.value)).toEqual(['c d']);
  });

  it('accepts filter names in any case', () => {
    expect(parseQuery('Repo:api LANG:go x').repos.include[0]?.value).toBe('api');
  });
});

describe('query language: text', () => {
  it('keeps bare words in order as the ranked text', () => {
    const q = parseQuery('parse the  config file');
    expect(q.words.map((w) => [w.value, w.column])).toEqual([
      ['parse', 1],
      ['the', 7],
      ['config', 12],
      ['file', 19],
    ]);
    expect(rankedText(q)).toBe('parse the config file');
  });

  it('reads quoted phrases with escapes, and refuses empty or unclosed ones at their column', () => {
    const q = parseQuery('"retry with" backoff "say \\"hi\\""');
    expect(q.phrases.map((p) => p.value)).toEqual(['retry with', 'say "hi"']);
    expect(rankedText(q)).toBe('retry with backoff say "hi"');
    const open = failure('x "retry with');
    expect(open.message).toBe('Unclosed quote at column 3.');
    expect(caretColumn(open.hint)).toBe(3);
    expect(failure('x ""').message).toMatch(/^Empty phrase at column 3/);
  });

  it('negates words, phrases and regexes with -, but not numbers or double dashes', () => {
    const q = parseQuery('retry -test -"mock server" -/fake\\w+/ -stub -1 --verbose');
    expect(q.exclude).toEqual([
      { kind: 'word', value: 'test', column: 8 },
      { kind: 'phrase', value: 'mock server', column: 14 },
      { kind: 'regex', value: 'fake\\w+', column: 29 },
      { kind: 'word', value: 'stub', column: 40 },
    ]);
    expect(q.words.map((w) => w.value)).toEqual(['retry', '-1', '--verbose']);
    // NOT and AND stay words: a sentence pasted as a query ("why does it NOT retry") keeps its meaning.
    expect(parseQuery('why does it NOT retry AND x').exclude).toEqual([]);
  });

  it('groups a OR b OR c into one any-of group, other words staying apart', () => {
    const q = parseQuery('retry backoff OR jitter OR "exponential delay" timeout');
    expect(q.words.map((w) => w.value)).toEqual(['retry', 'timeout']);
    expect(q.anyOf.map((g) => g.map((t) => t.value))).toEqual([['backoff', 'jitter', 'exponential delay']]);
    expect(rankedText(q)).toBe('retry backoff jitter exponential delay timeout');
    // Lower-case or is a word.
    expect(parseQuery('this or that').words).toHaveLength(3);
  });

  it('refuses OR without a term on each side, next to a filter or a negation, at its column', () => {
    expect(failure('OR x').message).toBe('OR needs a term on each side at column 1.');
    expect(failure('x OR').message).toBe('OR needs a term on each side at column 3.');
    expect(failure('x OR lang:go').message).toBe('OR precedes a filter at column 3.');
    expect(failure('repo:a OR x').message).toBe('OR follows a filter at column 8.');
    expect(failure('x OR -y').message).toBe('OR precedes a negated term at column 3.');
    expect(failure('x OR OR y').message).toBe('OR precedes another OR at column 3.');
  });

  it('reads /regex/ tokens (spaces allowed inside), joins OR-ed ones, and refuses a second one', () => {
    expect(parseQuery('/func \\w+\\(ctx/ lang:go').regex).toEqual({ kind: 'regex', value: 'func \\w+\\(ctx', column: 1 });
    expect(parseQuery('/TODO/ OR /FIXME/').regex?.value).toBe('(?:TODO)|(?:FIXME)');
    expect(failure('/a/ /b/').message).toMatch(/^A second \/regex\/ at column 5/);
    expect(failure('/a/ OR b').message).toMatch(/^OR joins a \/regex\/ with a word at column 8/);
  });

  it('reads slashes that do not close a regex as words', () => {
    expect(parseQuery('/api/users').words.map((w) => w.value)).toEqual(['/api/users']);
    expect(parseQuery('a / b / c').words.map((w) => w.value)).toEqual(['a', '/', 'b', '/', 'c']);
    expect(parseQuery('//').words.map((w) => w.value)).toEqual(['//']);
  });
});

describe('query language: what is not a filter', () => {
  it('searches colons inside phrases, regexes, C++ scopes, URLs and unknown names as text', () => {
    const q = parseQuery('"repo:x" /lang:y/ std::vector https://example.com/a localhost:8080 key:value');
    expect(q.repos.include).toEqual([]);
    expect(q.languages.include).toEqual([]);
    expect(q.phrases[0]?.value).toBe('repo:x');
    expect(q.regex?.value).toBe('lang:y');
    expect(q.words.map((w) => w.value)).toEqual(['std::vector', 'https://example.com/a', 'localhost:8080', 'key:value']);
  });

  it('searches a known name with nothing after the colon as text (path: string)', () => {
    expect(parseQuery('path: string').words.map((w) => w.value)).toEqual(['path:', 'string']);
  });

  it('refuses filters of Sourcegraph or GitHub it lacks, and typos of known ones, listing the known filters', () => {
    const foreign = failure('retry rev:main');
    expect(foreign.code).toBe('QUERY_INVALID');
    expect(foreign.message).toBe(`Unknown filter "rev:" at column 7; known filters: ${KNOWN_FILTERS}`);
    expect(caretColumn(foreign.hint)).toBe(7);
    expect(foreign.hint).toContain('quote it ("rev:main") to search for the text');
    const typo = failure('repo:api lnag:go retry');
    expect(typo.message).toMatch(/^Unknown filter "lnag:" at column 10; did you mean lang:\? Known filters: repo:, -repo:, lang:/);
    expect(caretColumn(typo.hint)).toBe(10);
    expect(failure('x langauge:go').message).toContain('did you mean language:?');
    expect(failure('x -reop:a').message).toMatch(/^Unknown filter "reop:" at column 4/);
  });

  it('refuses negating a filter that cannot be, and a second, different case: type: or count:', () => {
    expect(failure('-sym:x').message).toMatch(/^-sym: cannot be negated at column 1/);
    expect(failure('x -count:3').message).toMatch(/^-count: cannot be negated at column 3/);
    expect(failure('case:yes x case:no').message).toMatch(/^A second case: at column 12/);
    expect(failure('type:code type:commit x').message).toMatch(/^A second type: at column 11/);
    expect(parseQuery('type:code type:code x').type?.value).toBe('code');
  });

  it('refuses bad values of case:, type: and count: at the value', () => {
    expect(failure('x case:maybe').message).toMatch(/^case:maybe is neither yes nor no at column 8/);
    const type = failure('x type:file');
    expect(type.message).toBe('Unknown type:file at column 8; use one of type:code, type:symbol, type:commit, type:diff');
    expect(failure('x count:0').message).toMatch(/^count:0 is not a positive whole number at column 9/);
    expect(failure('x count:ten').message).toMatch(/at column 9/);
  });
});

describe('query language: --mode regex', () => {
  it('takes the filters out wherever they stand and keeps the rest verbatim as the pattern', () => {
    const q = parseQuery('lang:go func \\(mx  \\*Mux\\) -file:vendor/** "x"', { pattern: 'regex' });
    expect(q.languages.include.map((l) => l.value)).toEqual(['go']);
    expect(q.files.exclude.map((f) => f.value)).toEqual(['vendor/**']);
    expect(q.pattern).toEqual({ value: 'func \\(mx  \\*Mux\\) "x"', column: 9 });
    expect(q.words).toEqual([]);
    expect(parseQuery('a|b -c OR d', { pattern: 'regex' }).pattern?.value).toBe('a|b -c OR d');
    expect(parseQuery('repo:x', { pattern: 'regex' }).pattern).toBeNull();
  });
});

describe('query language: columns', () => {
  it('counts columns in characters, not UTF-16 units, and windows long queries around the caret', () => {
    const e = failure('😀 é rev:main');
    expect(e.message).toMatch(/at column 5;/);
    const long = `${'word '.repeat(40)}rev:x`;
    const far = failure(long);
    expect(far.message).toMatch(/at column 201;/);
    const [shown, caret] = (far.hint ?? '').split('\n');
    expect(shown?.startsWith('  …')).toBe(true);
    expect(shown?.slice(caret!.indexOf('^'), caret!.indexOf('^') + 5)).toBe('rev:x');
  });
});

describe('query language: pasted text', () => {
  it('tells pasted text from a typed query, and reads it as the plain words it holds', () => {
    const issue = `Mapping from dimension names to lengths fails:\n    """\n    File "/usr/lib/python3/xarray/core/dataset.py", line 2097, in sizes\n rev: 2 is:open -- see "" and /tmp/x OR -y`;
    expect(isPastedText(issue)).toBe(true);
    expect(isPastedText('retry ""')).toBe(false);
    expect(isPastedText(`${'word '.repeat(60)}`)).toBe(true);
    expect(() => parseQuery(issue)).toThrow(GitloreError);
    const q = parseQuery(plainWords(issue));
    expect(q.words.map((w) => w.value)).toEqual(
      expect.arrayContaining(['Mapping', 'dimension', 'dataset.py', 'sizes', 'rev', 'open', 'y']),
    );
    expect(q.phrases).toEqual([]);
    expect(q.exclude).toEqual([]);
    expect(q.anyOf).toEqual([]);
    expect(q.regex).toBeNull();
  });

  it('keeps the filters of pasted text and turns its quotes, dashes, ORs and slashes into words', () => {
    const text = `${'prose '.repeat(50)}lang:go "reset by peer" -v a OR b /tmp/x/ repo:api`;
    const q = asPastedText(parseQuery(text));
    expect(q.languages.include.map((l) => l.value)).toEqual(['go']);
    expect(q.repos.include).toHaveLength(1);
    expect([q.phrases, q.anyOf, q.exclude, q.regex]).toEqual([[], [], [], null]);
    expect(rankedText(q)).toMatch(/reset by peer v a b tmp\/x$/);
  });

  it('reads slashes in pasted text as parts of words (paths), so two paths are not two regexes', () => {
    const text = '😀 File "/usr/lib/a.py", line 3\n  File "/usr/lib/b.py", in run /tmp/x/ /y/ end';
    expect(() => parseQuery(text)).toThrow(/A second \/regex\//);
    const q = asPastedText(parseQuery(text, { pasted: true }));
    expect(q.regex).toBeNull();
    expect(rankedText(q)).toBe('😀 File /usr/lib/a.py , line 3 File /usr/lib/b.py , in run /tmp/x/ /y/ end');
    // Columns count characters (the emoji is one) however far into the text.
    expect(q.words.find((w) => w.value === 'end')?.column).toBe([...text].length - 2);
    expect(q.words.find((w) => w.value === '/tmp/x/')?.column).toBe([...text].indexOf('/', 60) + 1);
  });
});

describe('phrasesAsWords', () => {
  it('reads the quotes of a typed sentence as words, keeping content: filters', () => {
    const q = phrasesAsWords(parseQuery('When app.proxy is true, parse the "X-Forwarded-For" ip address list content:"ips"'));
    expect(q.phrases.map((p) => p.value)).toEqual(['ips']);
    expect(q.words.map((w) => w.value)).toContain('X-Forwarded-For');
    expect(rankedText(q).indexOf('X-Forwarded-For')).toBeLessThan(rankedText(q).indexOf('ip address'));
  });

  it('keeps the phrases of a keyword query exact', () => {
    const q = phrasesAsWords(parseQuery('retry on "ECONNRESET" errors'));
    expect(q.phrases.map((p) => p.value)).toEqual(['ECONNRESET']);
    expect(q.words.map((w) => w.value)).toEqual(['retry', 'on', 'errors']);
  });
});
