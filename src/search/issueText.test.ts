import { describe, expect, it } from 'vitest';
import {
  evidenceBoost,
  extractIssueText,
  ISSUE_TEXT_PARAMS,
  issueQueries,
  pathMatch,
  quotedError,
  retrieverQueries,
  stackFrame,
} from './issueText.js';

const PYTHON_ISSUE = `Resampling fails when the index holds duplicate timestamps
I call \`Frame.resample_by\` on a frame whose index repeats a timestamp and get:

\`\`\`python
import tabula as tb

df = tb.Frame({"t": [1, 1, 2]})
df.resample_by("t")
\`\`\`

\`\`\`
Traceback (most recent call last):
  File "/home/ana/proj/repro.py", line 4, in <module>
    df.resample_by("t")
  File "/home/ana/.venv/lib/python3.11/site-packages/tabula/core/resample.py", line 212, in resample_by
    groups = _bucket_edges(index, freq)
  File "/home/ana/.venv/lib/python3.11/site-packages/tabula/core/resample.py", line 88, in _bucket_edges
    raise DuplicateIndexError(f"index has duplicate label {label!r}")
tabula.errors.DuplicateIndexError: index has duplicate label 1
\`\`\`

The check in tabula/core/resample.py:88 should allow repeats when \`allow_duplicates=True\`.

<details>
INSTALLED VERSIONS
python: 3.11.4
numpy: 1.26.0
</details>
`;

const JS_ISSUE = `Crash when a route has no handler

TypeError: Cannot read properties of undefined (reading 'call')
    at dispatchRoute (/srv/app/node_modules/kestrel/lib/router/dispatch.js:41:17)
    at Layer.handleRequest (/srv/app/node_modules/kestrel/lib/router/layer.js:95:5)
    at processTicksAndRejections (node:internal/process/task_queues:95:5)
    at async Server.onRequest (file:///srv/app/src/server.mjs:12:3)
`;

const GO_PANIC = `panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x5b3c2e]

goroutine 7 [running]:
github.com/acme/relay/mux.(*Router).Match(0x0, 0xc000130000)
	/home/ci/go/pkg/mod/github.com/acme/relay@v1.4.0/mux/router.go:118 +0x2e
main.main()
	/home/ci/src/app/main.go:22 +0x65
`;

const PROSE = `Config loader ignores XDG_CONFIG_HOME
When \`XDG_CONFIG_HOME\` is set, \`loadUserConfig()\` still reads ~/.config. I think the fallback in
\`ConfigPaths.resolveHome\` runs first. See settings/paths.ts.`;

describe('extractIssueText', () => {
  it('reads a Python traceback: frames, the error, the paths, and weights them above the prose', () => {
    const e = extractIssueText(PYTHON_ISSUE);
    expect(e.frames).toEqual([
      { path: 'home/ana/proj/repro.py', line: 4, func: null },
      { path: 'home/ana/.venv/lib/python3.11/site-packages/tabula/core/resample.py', line: 212, func: 'resample_by' },
      { path: 'home/ana/.venv/lib/python3.11/site-packages/tabula/core/resample.py', line: 88, func: '_bucket_edges' },
    ]);
    expect(e.errors).toContainEqual({ name: 'DuplicateIndexError', message: 'index has duplicate label 1', module: 'tabula.errors' });
    expect(e.paths).toContainEqual({ path: 'tabula/core/resample.py', line: 88, module: false });
    expect(e.paths).toContainEqual({ path: 'tabula/errors', line: null, module: true });
    const rank = (term: string) => e.terms.findIndex((t) => t.term === term);
    const top = e.terms.slice(0, 8).map((t) => t.term);
    expect(top).toEqual(expect.arrayContaining(['resample_by', '_bucket_edges', 'duplicateindexerror', 'resample']));
    // The example's own names (df, tb) and the environment report count for little; stop words not at all.
    expect(rank('df')).toBeGreaterThan(rank('allow_duplicates'));
    expect(rank('frame')).toBeLessThan(rank('allow_duplicates'));
    expect(rank('numpy')).toBeGreaterThan(rank('duplicate'));
    expect(rank('the')).toBe(-1);
    expect(rank('when')).toBe(-1);
    expect(e.identifiers.slice(0, 4)).toEqual(expect.arrayContaining(['resample_by', '_bucket_edges', 'DuplicateIndexError']));
    expect(e.identifiers).not.toContain('tb');
    // The head is prose: the title and the first paragraph, no code blocks, no folded report.
    expect(e.head.startsWith('Resampling fails when the index holds duplicate timestamps')).toBe(true);
    expect(e.head).not.toContain('Traceback');
    expect(e.head).not.toContain('numpy');
  });

  it('reads a JavaScript stack: functions, files and lines; node internals are frames too but name no file of ours', () => {
    const e = extractIssueText(JS_ISSUE);
    expect(e.frames.slice(0, 2)).toEqual([
      { path: 'srv/app/node_modules/kestrel/lib/router/dispatch.js', line: 41, func: 'dispatchRoute' },
      { path: 'srv/app/node_modules/kestrel/lib/router/layer.js', line: 95, func: 'handleRequest' },
    ]);
    expect(e.frames).toContainEqual({ path: 'srv/app/src/server.mjs', line: 12, func: 'onRequest' });
    expect(e.errors[0]).toEqual({ name: 'TypeError', message: "Cannot read properties of undefined (reading 'call')" });
    expect(e.terms.slice(0, 6).map((t) => t.term)).toEqual(expect.arrayContaining(['dispatchroute', 'handlerequest']));
    // A builtin error says little about where; a route without a handler is the story.
    const rank = (term: string) => e.terms.findIndex((t) => t.term === term);
    expect(rank('typeerror')).toBeGreaterThan(rank('dispatch'));
  });

  it('reads a Go panic: each function with the file line under it', () => {
    const e = extractIssueText(GO_PANIC);
    expect(e.errors[0]).toEqual({ name: 'panic', message: 'runtime error: invalid memory address or nil pointer dereference' });
    expect(e.frames).toEqual([
      { path: 'home/ci/go/pkg/mod/github.com/acme/relay@v1.4.0/mux/router.go', line: 118, func: 'Match' },
      { path: 'home/ci/src/app/main.go', line: 22, func: 'main' },
    ]);
    expect(e.terms.slice(0, 3).map((t) => t.term)).toContain('match');
    expect(e.terms.map((t) => t.term)).toContain('router');
  });

  it('reads prose with `code`: marked names and identifiers weigh more than words; dotted names stay whole for symbols', () => {
    const e = extractIssueText(PROSE);
    expect(e.identifiers.slice(0, 5)).toEqual(expect.arrayContaining(['XDG_CONFIG_HOME', 'loadUserConfig', 'ConfigPaths.resolveHome']));
    expect(e.paths).toEqual([{ path: 'settings/paths.ts', line: null, module: false }]);
    const weight = (term: string) => e.terms.find((t) => t.term === term)?.weight ?? 0;
    expect(weight('loaduserconfig')).toBeGreaterThan(weight('fallback'));
    expect(weight('resolvehome')).toBeGreaterThan(weight('reads'));
    // Sub-words of an identifier count, less than the identifier.
    expect(weight('load')).toBeGreaterThan(0);
    expect(weight('load')).toBeLessThan(weight('loaduserconfig'));
  });

  it('skips versions, hashes and URLs, but reads a file named by a repository link', () => {
    const e = extractIssueText(
      'Broke in v0.10.1 (commit 6906eebfc7645d06ee807773f5df9215634addef), see\nhttps://github.com/acme/tabula/blob/6906eeb/tabula/core/frame.py#L641 and https://example.com/some/page',
    );
    expect(e.paths).toEqual([{ path: 'tabula/core/frame.py', line: 641, module: false }]);
    const terms = e.terms.map((t) => t.term);
    expect(terms).not.toContain('v0');
    expect(terms).not.toContain('6906eebfc7645d06ee807773f5df9215634addef');
    expect(terms).not.toContain('example');
    expect(terms).toContain('broke');
  });

  it('reads Java and pytest frames, and error lines of several shapes', () => {
    expect(stackFrame('\tat com.acme.billing.InvoiceService.total(InvoiceService.java:57)')).toEqual({
      path: 'com/acme/billing/InvoiceService.java',
      line: 57,
      func: 'total',
    });
    expect(stackFrame('tabula/core/resample.py:212: in resample_by')).toEqual({
      path: 'tabula/core/resample.py',
      line: 212,
      func: 'resample_by',
    });
    expect(stackFrame('    x = compute(a, b)')).toBeNull();
    expect(quotedError('E   KeyError: "t"')).toEqual({ name: 'KeyError', message: '"t"' });
    expect(quotedError('pkg.errors.MergeError')).toEqual({ name: 'MergeError', message: '', module: 'pkg.errors' });
    expect(quotedError('It raises ValueError: sometimes')).toBeNull();
  });
});

describe('issueQueries and retrieverQueries', () => {
  it('gives the lexical retriever the best terms (capped), the symbol retriever identifiers, the semantic one the head', () => {
    const e = extractIssueText(PYTHON_ISSUE);
    const q = issueQueries(e, 'fallback');
    expect(q.lexical).toEqual(e.terms.slice(0, ISSUE_TEXT_PARAMS.lexicalTerms).map((t) => t.term));
    expect(q.symbol.split(' ')).toEqual(expect.arrayContaining(['resample_by', '_bucket_edges']));
    expect(q.semantic).toBe(e.head);
    expect(issueQueries({ terms: [], identifiers: [], paths: [], frames: [], errors: [], head: '' }, 'the words')).toEqual({
      lexical: 'the words',
      symbol: 'the words',
      semantic: 'the words',
    });
  });

  it('leaves a typed query alone, and reads pasted text (given, or a query that is one)', () => {
    expect(retrieverQueries('parse the config file')).toEqual({
      lexical: 'parse the config file',
      symbol: 'parse the config file',
      semantic: 'parse the config file',
      evidence: null,
    });
    const pasted = retrieverQueries(GO_PANIC.replace(/\n/g, ' '), GO_PANIC);
    expect(pasted.evidence?.frames).toHaveLength(2);
    expect(retrieverQueries(PROSE).evidence?.paths).toHaveLength(1);
  });
});

describe('evidenceBoost and pathMatch', () => {
  const e = extractIssueText(PYTHON_ISSUE);

  it('lifts the named file most, a function of a frame in it more, a same-named file elsewhere a little', () => {
    const frameFn = evidenceBoost({ path: 'tabula/core/resample.py', symbol: '_bucket_edges' }, e);
    const file = evidenceBoost({ path: 'tabula/core/resample.py', symbol: 'Resampler' }, e);
    const sameName = evidenceBoost({ path: 'docs/resample.py', symbol: null }, e);
    const module = evidenceBoost({ path: 'tabula/errors/__init__.py', symbol: null }, e);
    const other = evidenceBoost({ path: 'tabula/core/frame.py', symbol: 'resample_by' }, e);
    expect(file).toBe(ISSUE_TEXT_PARAMS.boost.path);
    expect(frameFn).toBe(ISSUE_TEXT_PARAMS.boost.path + ISSUE_TEXT_PARAMS.boost.frameFunction);
    expect(sameName).toBe(ISSUE_TEXT_PARAMS.boost.fileName);
    expect(module).toBe(ISSUE_TEXT_PARAMS.boost.path);
    expect(other).toBe(0);
  });

  it('matches whole trailing segments, modules by two or more', () => {
    expect(pathMatch('a/core/frame.py', { path: 'usr/lib/site-packages/a/core/frame.py', module: false })).toBe(3);
    expect(pathMatch('a/core/frame.py', { path: 'core/frame.py', module: false })).toBe(2);
    expect(pathMatch('a/core/frame.py', { path: 'frame.py', module: false })).toBe(1);
    expect(pathMatch('a/core/myframe.py', { path: 'frame.py', module: false })).toBe(0);
    expect(pathMatch('setup.py', { path: 'setup.py', module: false })).toBe(2);
    expect(pathMatch('a/core/frame.py', { path: 'a/core/frame', module: true })).toBe(3);
    expect(pathMatch('a/core/__init__.py', { path: 'a/core', module: true })).toBe(2);
    expect(pathMatch('b/frame.py', { path: 'a/frame', module: true })).toBe(0);
  });
});
