import { describe, expect, it } from 'vitest';
import { isImportBlock } from './importBlocks.js';

const block = (language: string, text: string) => {
  const lines = text.split('\n');
  return isImportBlock(lines, 1, lines.length, language);
};

describe('isImportBlock', () => {
  it('knows the import lists of each language, statements over several lines included', () => {
    expect(block('python', 'import os\nfrom typing import (\n    Any,\n    Dict,\n)\n\n# helpers\nfrom . import utils')).toBe(true);
    expect(
      block('python', 'from __future__ import annotations\n\ntry:\n    import ujson as json\nexcept ImportError:\n    import json'),
    ).toBe(true);
    expect(block('python', 'import typing\nif TYPE_CHECKING:\n    from .x import Y\n__all__ = [\n    "a",\n    "b",\n]')).toBe(true);
    expect(block('typescript', "import { a,\n  b } from './a.js';\nimport type { C } from './c.js';\nexport * from './d.js';")).toBe(true);
    expect(block('javascript', "'use strict';\n\nconst debug = require('debug')('koa');\nconst { a } = require('./a');")).toBe(true);
    expect(block('go', 'package chi\n\nimport (\n\t"net/http"\n\t"strings"\n)')).toBe(true);
    expect(block('java', 'package org.acme;\n\nimport java.util.List;\nimport java.util.Map;')).toBe(true);
    expect(block('rust', 'use std::collections::{\n    HashMap,\n    HashSet,\n};\nmod parser;\n#[cfg(test)]\nmod tests;')).toBe(true);
    expect(block('c', '#ifndef POINT_H\n#define POINT_H\n#include <stdio.h>\n#include "point.h"\n#include "util.h"')).toBe(true);
    expect(block('csharp', 'using System;\nusing System.Linq;\nnamespace Shop;')).toBe(true);
    expect(block('ruby', "require 'json'\nrequire_relative 'base'")).toBe(true);
  });

  it('leaves module-level code, documented modules and languages without imports as blocks', () => {
    expect(block('python', 'import os\n\nDEFAULT_TIMEOUT = 5\nlogger = logging.getLogger(__name__)\nREGISTRY = {}\nhooks = []')).toBe(
      false,
    );
    expect(
      block(
        'python',
        '"""\nHTTP client with connection pooling.\n\nSessions keep cookies and retry failed requests\nwith exponential backoff.\n"""\nimport os\nimport sys',
      ),
    ).toBe(false);
    expect(block('javascript', 'const app = express();\napp.use(logger());\napp.listen(3000);')).toBe(false);
    expect(block('javascript', "const x = import('./lazy.js');\nrun(x);")).toBe(false);
    expect(block('c', '#include <stdio.h>\n#define MAX 10\n#define MIN 1\n#define CLAMP(x) ((x) > MAX ? MAX : (x))')).toBe(false);
    expect(block('markdown', 'import this')).toBe(false);
    expect(block('python', '# only a comment')).toBe(false);
  });
});
