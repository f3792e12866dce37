import { describe, expect, it } from 'vitest';
import { identifierSites } from './identifierSites.js';

/** The sites as `line:column` strings. */
const at = (text: string, language: string, identifier: string) =>
  identifierSites(text, language, identifier).map((s) => `${s.line}:${s.column}`);

describe('identifierSites', () => {
  it('finds whole words only, case-sensitively, with 1-based lines and columns', () => {
    const text = 'parse(x);\nconst y = parseAll(parse) + Parse + _parse + parse$;\n  obj.parse()';
    expect(at(text, 'typescript', 'parse')).toEqual(['1:1', '2:20', '3:7']);
  });

  it('skips TypeScript comments, strings and template text, but not template interpolations', () => {
    const text = [
      '// parse here is a comment',
      '/* parse',
      '   parse */ parse();',
      `const s = "parse" + 'parse' + \`parse \${parse(\`parse \${ { a: parse } }\`)} parse\`;`,
      'const t = "escaped \\" parse";',
    ].join('\n');
    expect(at(text, 'typescript', 'parse')).toEqual(['3:13', '4:40', '4:61']);
  });

  it('skips Python comments and (triple-quoted) strings', () => {
    const text = ['def run():', '    """Calls run', '    run again."""', "    x = 'run' # run", '    return run()'].join('\n');
    expect(at(text, 'python', 'run')).toEqual(['1:5', '5:12']);
  });

  it('knows Go raw strings and runes, and Rust lifetimes are code', () => {
    expect(at('x := `Open\nOpen` + "Open"\nOpen(\'O\')', 'go', 'Open')).toEqual(['3:1']);
    expect(at("fn f<'a>(x: &'a str) -> Foo { Foo::new('F') }", 'rust', 'Foo')).toEqual(['1:25', '1:31']);
  });

  it('treats $ as part of a JS name but as a sigil in PHP and bash', () => {
    expect(at('$name + name', 'javascript', 'name')).toEqual(['1:9']);
    // A private field is another name.
    expect(at('this.#name = name', 'typescript', 'name')).toEqual(['1:14']);
    expect(at('$name + name', 'php', 'name')).toEqual(['1:2', '1:9']);
    expect(at(`echo $# \${#x} x # x`, 'bash', 'x')).toEqual(['1:12', '1:15']);
  });

  it('marks a name right after a declaration keyword as declared there', () => {
    const text = 'def outer():\n    def helper(x):\n        return helper(x)\nfunction* helper() {}\nx.def helper';
    const sites = identifierSites(text, 'python', 'helper');
    expect(sites.map((s) => `${s.line}:${s.declares}`)).toEqual(['2:true', '3:false', '4:true', '5:false']);
  });

  it('reads `type` as a declaration only where it opens the line', () => {
    const text = 'import {type Foo} from "x";\nexport type Foo = string;\ntype Foo struct{}';
    expect(identifierSites(text, 'typescript', 'Foo').map((s) => s.declares)).toEqual([false, true, true]);
  });

  it('counts every occurrence in languages without rules', () => {
    expect(at('run # run', 'markdown', 'run')).toEqual(['1:1', '1:7']);
  });
});
