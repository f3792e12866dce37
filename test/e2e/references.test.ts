import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/core/context.js';
import { findReferences } from '../../src/core/findReferences.js';
import { indexRepos } from '../../src/core/indexRepos.js';
import { findReferencesTool } from '../../src/core/tools/findReferences.js';
import { runCli } from '../helpers/cli.js';
import { makeRepo, tempDir } from '../helpers/git.js';
import { openUserServices, type UserServices } from '../helpers/userServices.js';

let users: UserServices;
let dataDir: string;

const TS_FILES = {
  'src/config.ts': [
    '/** parseConfig reads key=value lines. */',
    'export function parseConfig(text: string): Record<string, string> {',
    "  return Object.fromEntries(text.split('\\n').map((l) => l.split('=')));",
    '}',
    '',
  ].join('\n'),
  'src/main.ts': [
    "import { parseConfig } from './config';",
    '',
    '// parseConfig is called once here',
    'export function start(path: string) {',
    '  const message = "parseConfig failed";',
    '  return parseConfig(path) ?? message;',
    '}',
    '',
    'export class Loader {',
    '  load(text: string) {',
    `    return parseConfig(text) && \`parseConfig \${parseConfig(text)}\`;`,
    '  }',
    '}',
    '',
  ].join('\n'),
  'src/bridge.ts': 'export function callPython(parse_config: string) {\n  return parse_config;\n}\n',
};

const PY_FILES = {
  'app/util.py': [
    'def parse_config(text):',
    '    """parse_config splits lines."""',
    '    return dict(line.split("=") for line in text.splitlines())',
    '',
    '',
    'class Settings:',
    '    def load(self, text):',
    '        # parse_config is the parser',
    '        return parse_config(text)',
    '',
  ].join('\n'),
  'app/main.py': [
    'from app.util import parse_config',
    '',
    'def main():',
    "    print('parse_config')",
    '    return parse_config("a=b")',
    '',
  ].join('\n'),
  // A function nested in another: the index lists no symbol for it, its `def` line still declares it.
  'app/nested.py': 'def outer():\n    def helper(text):\n        return text\n    return helper("x") or outer\n',
};

const GO_FILES = {
  'config.go': [
    'package config',
    '',
    '// ParseConfig parses text.',
    'func ParseConfig(text string) map[string]string {',
    '\treturn map[string]string{"ParseConfig": text}',
    '}',
    '',
    'type Loader struct{}',
    '',
    'func (l *Loader) Load(text string) map[string]string {',
    '\treturn ParseConfig(text)',
    '}',
    '',
  ].join('\n'),
  'main.go': ['package config', '', 'func Run() {', '\t_ = ParseConfig(`ParseConfig`)', '\t_ = ParseConfig("x")', '}', ''].join('\n'),
};

beforeAll(async () => {
  users = await openUserServices('gitlore-refs-');
  dataDir = users.services.config.dataDir;
  const root = tempDir('gitlore-refs-repos-');
  const add = async (name: string, files: Record<string, string>, github = false) => {
    const dir = join(root, name);
    makeRepo(dir, files);
    await users.services.store.repos.upsert({
      name,
      sourceType: github ? 'github' : 'local',
      sourceKey: github ? 'github:org/acme' : 'manual',
      fullName: github ? `acme/${name}` : name,
      cloneUrl: dir,
      localPath: dir,
      isPrivate: github,
    });
  };
  await add('tsapp', TS_FILES);
  await add('pyapp', PY_FILES);
  // Private on GitHub and granted to nobody: only the admin sees it.
  await add('goapp', GO_FILES, true);
  const report = await indexRepos({ skipEmbeddings: true, skipHistory: true }, createContext(users.services));
  expect(report.repos.map((r) => r.status)).toEqual(['indexed', 'indexed', 'indexed']);
});

afterAll(async () => {
  await users?.services.store.close();
});

/** `path:line` of each reference listed, file by file. */
const sites = (result: Awaited<ReturnType<typeof findReferences>>) =>
  result.files.flatMap((f) => f.references.map((r) => `${f.repo}/${f.path}:${r.line}`));

describe('find references', () => {
  it('TypeScript: uses outside comments and strings, the definition left out, each with its enclosing function', async () => {
    const result = await findReferences({ symbol: 'parseConfig' }, createContext(users.services));
    expect(result.definitions).toEqual([{ repo: 'tsapp', path: 'src/config.ts', line: 2, kind: 'function', qualifiedName: 'parseConfig' }]);
    // main.ts only: config.ts holds the definition and a doc comment; the string and template text are skipped.
    expect(result.files.map((f) => f.path)).toEqual(['src/main.ts']);
    expect(result.files[0]?.count).toBe(4);
    expect(result.files[0]?.references).toEqual([
      { line: 1, column: 10, text: "import { parseConfig } from './config';", enclosing: null },
      {
        line: 6,
        column: 10,
        text: 'return parseConfig(path) ?? message;',
        enclosing: { name: 'start', kind: 'function', startLine: 4 },
      },
      {
        line: 11,
        column: 12,
        text: `return parseConfig(text) && \`parseConfig \${parseConfig(text)}\`;`,
        enclosing: { name: 'Loader.load', kind: 'method', startLine: 10 },
      },
      {
        line: 11,
        column: 48,
        text: `return parseConfig(text) && \`parseConfig \${parseConfig(text)}\`;`,
        enclosing: { name: 'Loader.load', kind: 'method', startLine: 10 },
      },
    ]);
    expect(result).toMatchObject({ total: 4, totalFiles: 1, truncated: false });
  });

  it('Python: files of the defining repository first, then by count; docstrings and comments skipped', async () => {
    const result = await findReferences({ symbol: 'parse_config' }, createContext(users.services));
    expect(result.definitions.map((d) => `${d.repo}/${d.path}:${d.line}`)).toEqual(['pyapp/app/util.py:1']);
    // pyapp defines it: its files come before tsapp's bridge.ts although bridge.ts has more uses than util.py.
    expect(sites(result)).toEqual([
      'pyapp/app/main.py:1',
      'pyapp/app/main.py:5',
      'pyapp/app/util.py:9',
      'tsapp/src/bridge.ts:1',
      'tsapp/src/bridge.ts:2',
    ]);
    const util = result.files.find((f) => f.path === 'app/util.py');
    expect(util?.references[0]?.enclosing).toEqual({ name: 'Settings.load', kind: 'method', startLine: 7 });
    const main = result.files.find((f) => f.path === 'app/main.py');
    expect(main?.references.map((r) => r.enclosing?.name ?? null)).toEqual([null, 'main']);
  });

  it('a nested function declared with def is not a use of itself', async () => {
    const result = await findReferences({ symbol: 'helper' }, createContext(users.services));
    expect(sites(result)).toEqual(['pyapp/app/nested.py:4']);
    expect(result.files[0]?.references[0]?.enclosing).toMatchObject({ name: 'outer' });
    // outer is both indexed and declared by its keyword: its def line is left out once, its use inside stays.
    expect(sites(await findReferences({ symbol: 'outer' }, createContext(users.services)))).toEqual(['pyapp/app/nested.py:4']);
  });

  it('Go: a method body encloses the use; raw strings and string keys are skipped; the limit truncates', async () => {
    const result = await findReferences({ symbol: 'ParseConfig', repos: ['goapp'] }, createContext(users.services));
    expect(sites(result)).toEqual(['goapp/main.go:4', 'goapp/main.go:5', 'goapp/config.go:11']);
    expect(result.files[1]?.references[0]?.enclosing).toMatchObject({ name: 'Loader.Load', kind: 'method', startLine: 10 });
    expect(result.files[0]?.references[0]?.enclosing).toMatchObject({ name: 'Run', startLine: 3 });

    const limited = await findReferences({ symbol: 'ParseConfig', limit: 2 }, createContext(users.services));
    expect(limited).toMatchObject({ total: 3, totalFiles: 2, truncated: true });
    expect(sites(limited)).toEqual(['goapp/main.go:4', 'goapp/main.go:5']);
  });

  it('shows a member nothing from a repository they cannot read', async () => {
    const admin = await findReferences({ symbol: 'ParseConfig' }, users.as(users.admin));
    expect(admin.total).toBe(3);
    const member = await findReferences({ symbol: 'ParseConfig' }, users.as(users.member));
    expect(member).toMatchObject({ total: 0, definitions: [], files: [] });
    expect(member.hint).toContain('ParseConfig');
    await expect(findReferences({ symbol: 'ParseConfig', repos: ['goapp'] }, users.as(users.member))).rejects.toMatchObject({
      code: 'REPO_NOT_FOUND',
    });
    // What the member can read still answers.
    expect((await findReferences({ symbol: 'parse_config' }, users.as(users.member))).total).toBe(5);
  });

  it('refuses what is not an identifier, and names are case-sensitive', async () => {
    await expect(findReferences({ symbol: 'parse config' }, createContext(users.services))).rejects.toMatchObject({
      code: 'QUERY_INVALID',
    });
    expect((await findReferences({ symbol: 'parseconfig' }, createContext(users.services))).total).toBe(0);
    const qualified = await findReferences({ symbol: 'Loader.Load' }, createContext(users.services));
    expect(qualified.definitions.map((d) => d.qualifiedName)).toEqual(['Loader.Load']);
  });

  it('the tool reads as text with each file, line and enclosing function', async () => {
    const output = await findReferencesTool.execute({ symbol: 'parse_config', language: 'python' }, createContext(users.services));
    const text = findReferencesTool.toText(output);
    expect(text).toContain('defined: pyapp/app/util.py:1 function parse_config');
    expect(text).toContain('  9:16  return parse_config(text)  [in method Settings.load]');
    expect(text).toContain('3 references in 2 files');
  });
});

describe('gitlore refs', () => {
  it('prints one JSON document, a hint when nothing is found, and exit 2 for an unknown repository', async () => {
    const json = await runCli(['refs', 'parse_config', '--json'], { dataDir });
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(Object.keys(doc)).toEqual(['symbol', 'definitions', 'total', 'totalFiles', 'files', 'truncated', 'tookMs']);
    expect(doc.files[0]).toEqual({
      repo: 'pyapp',
      path: 'app/main.py',
      language: 'python',
      count: 2,
      references: [
        { line: 1, column: 22, text: 'from app.util import parse_config', enclosing: null },
        { line: 5, column: 12, text: 'return parse_config("a=b")', enclosing: { name: 'main', kind: 'function', startLine: 3 } },
      ],
    });

    const none = await runCli(['refs', 'noSuchName'], { dataDir });
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('0 references in 0 files');
    expect(none.stdout).toContain('try `gitlore search noSuchName`');

    const unknown = await runCli(['refs', 'parse_config', '--repo', 'nope'], { dataDir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No repository named "nope"');
    expect((await runCli(['refs', 'x', '--limit', '0'], { dataDir })).code).toBe(2);
  });
});
