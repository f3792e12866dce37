import { basename } from 'node:path';
import {
  detectLanguage,
  isExamplePath,
  isLicenseFileName,
  isTestPath,
  isVendoredDirName,
  PROGRAM_LANGUAGE_IDS,
  skipReasonForPath,
} from '../shared/languages.js';

/**
 * Libraries that projects commonly copy into their own source tree (pip's `_vendor`, requests' `packages/`, C
 * projects' bundled dependencies): a folder of that name nested in a project's code is a copy, not the project.
 */
const COMMONLY_VENDORED: ReadonlySet<string> = new Set(
  (
    'six urllib3 chardet charset_normalizer idna certifi pyparsing distlib msgpack colorama cachecontrol html5lib webencodings ' +
    'tomli tomlkit resolvelib typing_extensions pkg_resources jquery zepto lodash underscore jemalloc hiredis linenoise ' +
    'googletest gtest gmock catch2 rapidjson nlohmann pugixml tinyxml2 miniz zlib lz4 zstd libuv sqlite3'
  ).split(' '),
);

/** Folders a project keeps its copies of required libraries in (`requests/packages/urllib3/`, `mylib/compat/simplejson/`). */
const LIBRARY_PARENTS: ReadonlySet<string> = new Set('packages lib libs compat _compat ext external bundled _bundled'.split(' '));

/** Folders holding the project's own integrations with a library, named after it (`sentry_sdk/integrations/django/`). */
const INTEGRATION_PARENTS: ReadonlySet<string> = new Set(
  'integrations integration contrib plugins plugin adapters adapter extensions backends providers frameworks bindings'.split(' '),
);

/** Folders of project scaffolding whose manifests and licenses are the project's own (`create-app/templates/basic/`). */
const TEMPLATE_DIR = /^(templates?|scaffolds?|starters?|boilerplates?|skeletons?|blueprints?)$/i;

/** Manifests that declare a package, by file name (a `*.gemspec` too). go.mod is left out: a nested module is most often the project's own. */
const MANIFESTS: ReadonlySet<string> = new Set(['package.json', 'pyproject.toml', 'setup.py', 'setup.cfg', 'Cargo.toml', 'composer.json']);
/** Root files that list the project's required dependencies. */
const DEPENDENCY_FILES =
  /^(requirements[^/]*\.txt|requirements\/[^/]+\.txt|pyproject\.toml|setup\.py|setup\.cfg|package\.json|go\.mod|Cargo\.toml|Gemfile|composer\.json)$/;

const isManifest = (name: string) => MANIFESTS.has(name) || name.endsWith('.gemspec');
const PROGRAM: ReadonlySet<string> = new Set(PROGRAM_LANGUAGE_IDS.filter((l) => l !== 'bash'));
const norm = (name: string) => name.toLowerCase().replace(/[-.]/g, '_');
const dirOf = (path: string) => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');

interface Folder {
  files: string[];
  /** A program file directly inside. */
  code: boolean;
  /** A program file anywhere below. */
  codeBelow: boolean;
}

/** Every folder of the tree (the root is ''), with its files. */
function folders(paths: readonly string[]): Map<string, Folder> {
  const out = new Map<string, Folder>();
  const folder = (dir: string) => {
    let f = out.get(dir);
    if (!f) {
      f = { files: [], code: false, codeBelow: false };
      out.set(dir, f);
    }
    return f;
  };
  for (const path of paths) {
    const dir = dirOf(path);
    const name = basename(path);
    const f = folder(dir);
    f.files.push(name);
    const code = PROGRAM.has(detectLanguage(name) ?? '');
    if (code) f.code = true;
    for (let d = dir; ; d = dirOf(d)) {
      const up = folder(d);
      if (code) up.codeBelow = true;
      if (d === '') break;
    }
  }
  return out;
}

/**
 * The folders of a repository that hold copies of other projects, read from its file list and a few small files:
 * - folders named for vendored code (`_vendor/`, `thirdparty/`, `extern/`…);
 * - folders inside the project's own code that carry their own license, or a manifest declaring another package
 *   (`mylib/lib/foo/LICENSE`, `src/js/bar/package.json` with a name and version);
 * - folders inside the project's own code named like a library that projects commonly copy, or like one the project
 *   requires at run time kept in a `packages/`, `lib/` or `compat/` folder (`requests/packages/urllib3/`).
 * Not flagged: a monorepo's packages (`packages/*`, `crates/*`, each with a manifest, sit in folders that hold no code
 * of their own), the project's own name, integrations named after a library (`integrations/django/`), and test,
 * example and template folders.
 */
export class VendorLayout {
  private readonly tree: Map<string, Folder>;

  constructor(private readonly paths: readonly string[]) {
    this.tree = folders(paths);
  }

  /** The files whose content `roots` reads: the root's dependency lists and the manifests of folders inside the project's code. */
  evidenceFiles(): string[] {
    return this.paths.filter(
      (p) =>
        !skipReasonForPath(p) && (DEPENDENCY_FILES.test(p) || (p.includes('/') && isManifest(basename(p)) && this.candidate(dirOf(p)))),
    );
  }

  /** The outermost vendored folders, sorted; `contents` holds the files `evidenceFiles` named, `ownNames` the project's names. */
  roots(contents: ReadonlyMap<string, string>, ownNames: readonly string[]): string[] {
    const own = new Set([...ownNames, ...packageNames(contents)].map(norm));
    const required = requiredDependencies(contents);
    const roots: string[] = [];
    for (const [dir, folder] of this.tree) {
      if (dir === '') continue;
      const name = basename(dir);
      if (isVendoredDirName(name)) {
        roots.push(dir);
        continue;
      }
      if (!this.candidate(dir)) continue;
      const license = folder.files.some(isLicenseFileName);
      const manifest = folder.files.some((f) => isManifest(f) && declaresPackage(f, contents.get(`${dir}/${f}`) ?? '', folder));
      // A library's name alone is weak evidence (a multi-framework library keeps `src/react/`): a commonly copied one
      // anywhere in the code, a required one only in a folder projects keep copies in.
      const parent = basename(dirOf(dir)).toLowerCase();
      const library =
        (COMMONLY_VENDORED.has(norm(name)) || (required.has(norm(name)) && LIBRARY_PARENTS.has(parent))) &&
        !own.has(norm(name)) &&
        !INTEGRATION_PARENTS.has(parent);
      if (license || manifest || (library && folder.codeBelow)) roots.push(dir);
    }
    roots.sort();
    return roots.filter((root, i) => !roots.slice(0, i).some((outer) => root.startsWith(`${outer}/`)));
  }

  /** A folder that may be a copy: inside the project's own code, not a test, example or template folder. */
  private candidate(dir: string): boolean {
    if (isTestPath(`${dir}/x`) || isExamplePath(`${dir}/`) || dir.split('/').some((part) => TEMPLATE_DIR.test(part))) return false;
    // Below some folder (not the root) that holds program code itself: the project's source tree.
    for (let d = dirOf(dir); d !== ''; d = dirOf(d)) if (this.tree.get(d)?.code) return true;
    return false;
  }
}

/** Whether the path lies in one of the folders. */
export function underRoots(path: string, roots: readonly string[]): boolean {
  return roots.some((root) => path.startsWith(`${root}/`));
}

/** A manifest declaring a named package of its own (a Python package folder's `setup.py` is a module, not a manifest). */
function declaresPackage(file: string, content: string, folder: Folder): boolean {
  if (file.endsWith('.gemspec')) return true;
  if (['setup.py', 'setup.cfg', 'pyproject.toml'].includes(file) && folder.files.includes('__init__.py')) return false;
  if (file === 'package.json' || file === 'composer.json') {
    const json = parseJson(content);
    return typeof json?.name === 'string' && (typeof json.version === 'string' || file === 'composer.json');
  }
  if (file === 'Cargo.toml') return /^\[package\]/m.test(content);
  if (file === 'pyproject.toml') return /^\[(project|tool\.poetry)\][^[]*^name\s*=/ms.test(content);
  if (file === 'setup.py') return /\bsetup\s*\(/.test(content) && /\bname\s*=/.test(content);
  return /^\[metadata\][^[]*^name\s*=/ms.test(content);
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The names the root's manifests give the project itself. */
function packageNames(contents: ReadonlyMap<string, string>): string[] {
  const names: string[] = [];
  const json = parseJson(contents.get('package.json') ?? '');
  if (typeof json?.name === 'string') names.push(json.name.replace(/^@[^/]+\//, ''));
  for (const file of ['pyproject.toml', 'Cargo.toml', 'setup.cfg']) {
    const name = /^name\s*=\s*["']?([\w.-]+)/m.exec(contents.get(file) ?? '')?.[1];
    if (name) names.push(name);
  }
  const setupName = /\bname\s*=\s*["']([\w.-]+)["']/.exec(contents.get('setup.py') ?? '')?.[1];
  if (setupName) names.push(setupName);
  const module = /^module\s+(\S+)/m.exec(contents.get('go.mod') ?? '')?.[1];
  if (module) names.push(lastPathPart(module));
  return names;
}

/** `github.com/x/y/v2` → `y`. */
function lastPathPart(module: string): string {
  const parts = module.split('/').filter((p) => !/^v\d+$/.test(p));
  return parts[parts.length - 1] ?? module;
}

/** Requirement strings' package names: `requests>=2.0; python_version>"3"` → requests. */
function requirementNames(text: string): string[] {
  return [...text.matchAll(/["']\s*([A-Za-z0-9][\w.-]*)/g)].map((m) => m[1]!);
}

/** The dependencies the root's manifests require at run time (not development, test or optional ones), normalised. */
function requiredDependencies(contents: ReadonlyMap<string, string>): Set<string> {
  const names: string[] = [];
  for (const [file, text] of contents) {
    if (file.includes('/') && !file.startsWith('requirements/')) continue;
    if (file.endsWith('.txt')) {
      if (/dev|test|doc|lint|type/i.test(file)) continue;
      for (const m of text.matchAll(/^\s*([A-Za-z0-9][\w.-]*)/gm)) names.push(m[1]!);
    } else if (file === 'package.json') {
      const deps = parseJson(text)?.dependencies;
      if (deps && typeof deps === 'object') names.push(...Object.keys(deps).map((d) => d.replace(/^@[^/]+\//, '')));
    } else if (file === 'composer.json') {
      const deps = parseJson(text)?.require;
      if (deps && typeof deps === 'object') names.push(...Object.keys(deps).map((d) => d.split('/').pop() ?? d));
    } else if (file === 'pyproject.toml') {
      const list = /^\[project\][^[]*?^dependencies\s*=\s*\[([^\]]*)\]/ms.exec(text)?.[1];
      if (list) names.push(...requirementNames(list));
      const poetry = /^\[tool\.poetry\.dependencies\]\s*$([^[]*)/m.exec(text)?.[1];
      if (poetry) for (const m of poetry.matchAll(/^\s*([A-Za-z0-9][\w.-]*)\s*=/gm)) names.push(m[1]!);
    } else if (file === 'setup.py') {
      const list = /install_requires\s*=\s*\[([^\]]*)\]/.exec(text)?.[1];
      if (list) names.push(...requirementNames(list));
    } else if (file === 'setup.cfg') {
      const list = /^install_requires\s*=\s*\n((?:[ \t]+\S.*\n?)*)/m.exec(text)?.[1];
      if (list) for (const m of list.matchAll(/^\s+([A-Za-z0-9][\w.-]*)/gm)) names.push(m[1]!);
    } else if (file === 'go.mod') {
      for (const m of text.matchAll(/^\s*(?:require\s+)?([\w.-]+\.[a-z]+\/\S+)\s+v\d/gm)) names.push(lastPathPart(m[1]!));
    } else if (file === 'Cargo.toml') {
      const deps = /^\[dependencies\]\s*$([^[]*)/m.exec(text)?.[1];
      if (deps) for (const m of deps.matchAll(/^\s*([A-Za-z0-9][\w-]*)\s*=/gm)) names.push(m[1]!);
    } else if (file === 'Gemfile') {
      for (const m of text.matchAll(/^\s*gem\s+["']([\w.-]+)["']/gm)) names.push(m[1]!);
    }
  }
  return new Set(names.map(norm));
}

/** How far into a file its header may reach. */
const HEADER_LINES = 60;
/** Lines before or among the header comments that are not code: shebang, encoding, package clause, build tags, `'use strict'`. */
const PREAMBLE = /^\s*(#!|#.*coding[:=]|package\s+[\w.]+;?\s*$|\/\/\s*(\+build|go:build)|['"]use strict['"]|<\?php)/;
const COMMENT = /^\s*(\/\/|#|\/\*|\*|--|;;|<!--)/;
/** What a copied file's header says about where it came from. */
const VENDORED_HEADER = [
  /\bvendored\s+(from|copy|version|by|in|into)\b|\b(is|was|are|were)\s+vendored\b|\bvendored\s+(module|package|library|code)\b/i,
  /\b(copied|taken|borrowed|forked)\s+(verbatim\s+|unmodified\s+|as[- ]is\s+|directly\s+|wholesale\s+)?from\s+(<?https?:\/\/(?![^\s>]*\/(issues|pull|discussions)\/)|git(hub|lab)\.com\/|the\s+[\w.-]+\s+(project|library|package|repository|repo|codebase|source))/i,
  /\bthis\s+(file|module|package|code|library)\s+is\s+an?\s+(copy|fork|mirror)\s+of\b/i,
];

/**
 * Whether the file's header (the comments and module docstring before its first line of code) says it was vendored or
 * copied whole from another project ("Vendored from …", "Copied from https://github.com/…"). A remark on one
 * definition further down ("// Taken from …" above a function) is not the header.
 */
export function headerSaysVendored(content: string): boolean {
  const lines = content.slice(0, 8000).split('\n', HEADER_LINES);
  const header: string[] = [];
  let docstring: string | null = null;
  let blockComment = false;
  for (const line of lines) {
    if (docstring) {
      header.push(line);
      if (line.includes(docstring)) docstring = null;
      continue;
    }
    if (blockComment) {
      header.push(line);
      if (line.includes('*/')) blockComment = false;
      continue;
    }
    if (!line.trim() || PREAMBLE.test(line)) continue;
    const quote = /^\s*[rRuU]?("""|''')/.exec(line)?.[1];
    if (quote) {
      header.push(line);
      if (line.indexOf(quote, line.indexOf(quote) + 3) < 0) docstring = quote;
      continue;
    }
    if (COMMENT.test(line)) {
      header.push(line);
      if (/^\s*\/\*/.test(line) && !line.includes('*/')) blockComment = true;
      continue;
    }
    break;
  }
  const text = header.join(' ');
  return VENDORED_HEADER.some((pattern) => pattern.test(text));
}
