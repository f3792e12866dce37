import { describe, expect, it } from 'vitest';
import { headerSaysVendored, underRoots, VendorLayout } from './vendored.js';

/** The vendored roots of a tree given as path → content (content read only for the evidence files). */
function rootsOf(files: Record<string, string>, ownNames: string[] = ['project']) {
  const layout = new VendorLayout(Object.keys(files));
  const contents = new Map(layout.evidenceFiles().map((path) => [path, files[path] ?? '']));
  return layout.roots(contents, ownNames);
}

describe('VendorLayout', () => {
  it('finds folders named for vendored code at any depth', () => {
    expect(
      rootsOf({
        'mylib/__init__.py': '',
        'mylib/core.py': '',
        'mylib/_vendor/six.py': '',
        'mylib/_vendor/packaging/version.py': '',
        'src/thirdparty/zlib/inflate.c': '',
        'deps/hiredis/hiredis.c': '',
      }),
    ).toEqual(['deps', 'mylib/_vendor', 'src/thirdparty']);
  });

  it('finds a nested copy with its own license or package manifest inside the project code', () => {
    expect(
      rootsOf({
        'setup.py': 'from setuptools import setup\nsetup(name="mylib")',
        'mylib/__init__.py': '',
        'mylib/client.py': '',
        'mylib/lib/retrying/LICENSE': 'MIT',
        'mylib/lib/retrying/retrying.py': '',
        'web/static/app.js': '',
        'web/static/chart/package.json': '{"name": "tiny-chart", "version": "1.2.0"}',
        'web/static/chart/chart.js': '',
      }),
    ).toEqual(['mylib/lib/retrying', 'web/static/chart']);
  });

  it('finds a commonly vendored or required library copied into the package', () => {
    expect(
      rootsOf({
        'setup.py': 'setup(name="requests", install_requires=["certifi>=2017", "simplejson"])',
        'requests/__init__.py': '',
        'requests/api.py': '',
        'requests/packages/__init__.py': '',
        'requests/packages/urllib3/__init__.py': '',
        'requests/packages/urllib3/poolmanager.py': '',
        'requests/packages/simplejson/decoder.py': '',
        'requests/utils/simplejson/shim.py': '',
      }),
    ).toEqual(['requests/packages/simplejson', 'requests/packages/urllib3']);
  });

  it('leaves a monorepo and its packages, the project itself, integrations, tests and examples alone', () => {
    expect(
      rootsOf(
        {
          'package.json': '{"name": "monorepo", "private": true, "workspaces": ["packages/*"], "dependencies": {"react": "18"}}',
          LICENSE: 'MIT',
          'packages/core/package.json': '{"name": "@acme/core", "version": "1.0.0"}',
          'packages/core/LICENSE': 'MIT',
          'packages/core/src/index.ts': '',
          'packages/react/package.json': '{"name": "@acme/react", "version": "1.0.0"}',
          'packages/react/src/index.tsx': '',
          'packages/react/src/react/hooks.ts': '',
          'crates/parser/Cargo.toml': '[package]\nname = "parser"',
          'crates/parser/src/lib.rs': '',
          'apps/web/package.json': '{"name": "web", "version": "0.0.0"}',
          'apps/web/app.ts': '',
          'sdk/integrations/react/index.ts': '',
          'sdk/index.ts': '',
          'src/index.ts': '',
          'src/esm/package.json': '{"type": "module"}',
          'src/esm/index.js': '',
          'src/lodash/index.ts': '',
          'packages/core/test/fixtures/app/package.json': '{"name": "fixture-app", "version": "1.0.0"}',
          'packages/core/examples/demo/LICENSE': 'MIT',
          'packages/core/templates/basic/package.json': '{"name": "basic", "version": "1.0.0"}',
          'pylint/config/__init__.py': '',
          'pylint/config/_pylint_config/__init__.py': '',
          'pylint/config/_pylint_config/setup.py': 'def _setup(): ...',
          'go.mod': 'module github.com/acme/lodash\n\nrequire github.com/spf13/cobra v1.8.0\n',
        },
        ['lodash'],
      ),
    ).toEqual([]);
  });

  it('tells whether a path lies in a root folder', () => {
    expect(underRoots('mylib/_vendor/six.py', ['mylib/_vendor'])).toBe(true);
    expect(underRoots('mylib/_vendored.py', ['mylib/_vendor'])).toBe(false);
    expect(underRoots('mylib/core.py', [])).toBe(false);
  });
});

describe('headerSaysVendored', () => {
  it('reads where a file came from in its header comments or module docstring', () => {
    expect(headerSaysVendored('# Vendored from https://github.com/benjaminp/six (1.16.0)\nimport sys\n')).toBe(true);
    expect(
      headerSaysVendored('#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n"""\nThis module is vendored from attrs.\n"""\nimport x'),
    ).toBe(true);
    expect(headerSaysVendored('"""Helpers.\n\nThis is a vendored copy of the toml parser.\n"""\nimport re\n')).toBe(true);
    expect(
      headerSaysVendored(
        '// Copyright 2020 The Go Authors.\n// Copied from https://github.com/golang/go/blob/master/src/sort.go\n\npackage sort\n',
      ),
    ).toBe(true);
    expect(headerSaysVendored('/*\n * Taken verbatim from the zlib project.\n */\n#include <stdio.h>\n')).toBe(true);
    expect(headerSaysVendored("'use strict';\n/** This file is a copy of debounce from lodash. */\nmodule.exports = debounce;\n")).toBe(
      true,
    );
  });

  it('does not read remarks below the header, nor credits that are not copies', () => {
    expect(
      headerSaysVendored('package middleware\n\nimport "net/http"\n\n// Taken from https://github.com/mytrile/nocache\nvar h = 1\n'),
    ).toBe(false);
    expect(headerSaysVendored("// Ported from Goji's middleware, source:\n// https://github.com/zenazn/goji\npackage middleware\n")).toBe(
      false,
    );
    expect(
      headerSaysVendored('"""\nCopyright 2001-2006 Gregory P. Ward. All rights reserved.\nAdapted from optparse.\n"""\nimport os\n'),
    ).toBe(false);
    expect(headerSaysVendored('# Copyright (c) https://github.com/pylint-dev/pylint/blob/main/CONTRIBUTORS.txt\nimport os\n')).toBe(false);
    expect(headerSaysVendored('import os\n# Vendored from six\n')).toBe(false);
    expect(headerSaysVendored('"""Minimal example.\n\nTaken from https://github.com/pylint-dev/pylint/issues/7208\n"""\n')).toBe(false);
  });
});
