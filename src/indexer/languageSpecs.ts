import type { Node } from 'web-tree-sitter';
import type { LanguageId } from '../shared/languages.js';

export type SymbolKind =
  | 'function'
  | 'method'
  | 'getter'
  | 'setter'
  | 'class'
  | 'interface'
  | 'type'
  | 'property'
  | 'enum'
  | 'struct'
  | 'trait'
  | 'module'
  | 'namespace'
  | 'constant';

/** What a definition node means: its kind, name and whether its body holds more definitions. */
export interface DefInfo {
  kind: SymbolKind;
  name: string;
  /** Qualifier pushed for children (the class / module name); defaults to name. */
  container?: boolean;
  /** Explicit qualifier for this definition (Go receivers, Rust impl types). */
  qualifier?: string;
}

export interface LanguageSpec {
  /** Returns a definition for nodes that define a symbol (`type` is `node.type`, read once by the caller). */
  def(node: Node, type: string, ctx: { fileModule: string; inContainer: boolean }): DefInfo | null;
  /** Node types that wrap a definition and own its leading comments (export, decorators). */
  wrappers: Set<string>;
  /** Node types that are comments or attributes attached to the next definition. */
  leading: Set<string>;
  /**
   * Where definitions can occur below a non-definition node: only these node types are searched.
   * Without it every node is (JavaScript defines functions inside expressions: callbacks, object literals).
   */
  descendInto?: Set<string>;
}

const name = (node: Node, field = 'name'): string | null => node.childForFieldName(field)?.text ?? null;

function jsFunctionValue(node: Node | null): boolean {
  return !!node && /^(arrow_function|function_expression|function|generator_function)$/.test(node.type);
}

function methodKind(node: Node): SymbolKind {
  for (const child of node.children) {
    if (child.type === 'get') return 'getter';
    if (child.type === 'set') return 'setter';
    if (child.type === 'property_identifier' || child.type === 'statement_block') break;
  }
  return 'method';
}

const jsLike: LanguageSpec = {
  wrappers: new Set(['export_statement', 'ambient_declaration']),
  leading: new Set(['comment', 'decorator']),
  def(node, type, ctx) {
    switch (type) {
      case 'function_declaration':
      case 'generator_function_declaration':
      case 'function_signature': {
        const n = name(node);
        return n ? { kind: 'function', name: n } : null;
      }
      case 'class_declaration':
      case 'abstract_class_declaration':
      case 'class': {
        const n = name(node);
        return n ? { kind: 'class', name: n, container: true } : null;
      }
      case 'interface_declaration': {
        const n = name(node);
        return n ? { kind: 'interface', name: n, container: true } : null;
      }
      case 'type_alias_declaration': {
        const n = name(node);
        if (!n) return null;
        return { kind: 'type', name: n, container: node.childForFieldName('value')?.type === 'object_type' };
      }
      case 'enum_declaration': {
        const n = name(node);
        return n ? { kind: 'enum', name: n } : null;
      }
      case 'internal_module':
      case 'module': {
        const n = name(node);
        return n ? { kind: 'namespace', name: n.replace(/['"]/g, ''), container: true } : null;
      }
      case 'method_definition':
      case 'method_signature':
      case 'abstract_method_signature': {
        const n = name(node);
        return n ? { kind: methodKind(node), name: n } : null;
      }
      case 'property_signature':
      case 'public_field_definition':
      case 'field_definition': {
        const n = name(node) ?? name(node, 'property');
        if (!n) return null;
        const value = node.childForFieldName('value');
        return { kind: jsFunctionValue(value) ? 'method' : 'property', name: n };
      }
      case 'pair': {
        if (!ctx.inContainer) return null;
        const key = node.childForFieldName('key');
        const value = node.childForFieldName('value');
        if (!key || !value) return null;
        const n = key.text.replace(/^['"]|['"]$/g, '');
        if (jsFunctionValue(value)) return { kind: 'method', name: n };
        if (value.type === 'object') return { kind: 'property', name: n, container: true };
        return null;
      }
      case 'variable_declarator': {
        const n = name(node);
        const value = node.childForFieldName('value');
        if (!n || !value) return null;
        if (jsFunctionValue(value)) return { kind: 'function', name: n };
        if (value.type === 'class') return { kind: 'class', name: n, container: true };
        if (value.type === 'object' && !ctx.inContainer) return { kind: 'constant', name: n, container: true };
        return null;
      }
      case 'assignment_expression': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (!left || !right) return null;
        const target = left.text;
        if (target === 'module.exports' && right.type === 'object') return { kind: 'module', name: ctx.fileModule, container: true };
        if (jsFunctionValue(right) || right.type === 'class') {
          // exports.foo = function, Foo.prototype.bar = function, module.exports = function name()
          const parts = target.split('.').filter((p) => p !== 'prototype' && p !== 'exports' && p !== 'module');
          const n = parts[parts.length - 1] ?? (target === 'module.exports' ? (name(right) ?? ctx.fileModule) : null);
          if (!n) return null;
          const qualifier = parts.length > 1 ? parts.slice(0, -1).join('.') : undefined;
          return {
            kind: right.type === 'class' ? 'class' : parts.length > 1 ? 'method' : 'function',
            name: n,
            qualifier,
            container: right.type === 'class',
          };
        }
        return null;
      }
      default:
        return null;
    }
  },
};

const python: LanguageSpec = {
  wrappers: new Set(['decorated_definition']),
  leading: new Set(['comment']),
  // Python defines only in statements, never inside an expression, so imports, assignments and calls
  // (most of a module's nodes) are not searched.
  descendInto: new Set([
    'block',
    'if_statement',
    'elif_clause',
    'else_clause',
    'try_statement',
    'except_clause',
    'except_group_clause',
    'finally_clause',
    'with_statement',
    'for_statement',
    'while_statement',
    'match_statement',
    'case_clause',
  ]),
  def(node, type, ctx) {
    if (type !== 'function_definition' && type !== 'class_definition') return null;
    const n = name(node);
    if (!n) return null;
    if (type === 'function_definition') return { kind: ctx.inContainer ? 'method' : 'function', name: n };
    return { kind: 'class', name: n, container: true };
  },
};

const go: LanguageSpec = {
  wrappers: new Set(['type_declaration', 'const_declaration', 'var_declaration']),
  leading: new Set(['comment']),
  def(node, type) {
    switch (type) {
      case 'function_declaration': {
        const n = name(node);
        return n ? { kind: 'function', name: n } : null;
      }
      case 'method_declaration': {
        const n = name(node);
        const receiver = node.childForFieldName('receiver')?.text ?? '';
        const type = receiver.match(/([A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*\)\s*$/)?.[1];
        return n ? { kind: 'method', name: n, qualifier: type } : null;
      }
      case 'type_spec':
      case 'type_alias': {
        const n = name(node);
        const type = node.childForFieldName('type')?.type;
        return n ? { kind: type === 'interface_type' ? 'interface' : type === 'struct_type' ? 'struct' : 'type', name: n } : null;
      }
      default:
        return null;
    }
  },
};

function simple(map: Record<string, [SymbolKind, boolean?]>, wrappers: string[], leading: string[], field = 'name'): LanguageSpec {
  return {
    wrappers: new Set(wrappers),
    leading: new Set(leading),
    def(node, type, ctx) {
      const entry = map[type];
      if (!entry) return null;
      const n = name(node, field);
      if (!n) return null;
      const kind = entry[0] === 'function' && ctx.inContainer ? 'method' : entry[0];
      return { kind, name: n, container: entry[1] ?? false };
    },
  };
}

const java = simple(
  {
    class_declaration: ['class', true],
    interface_declaration: ['interface', true],
    enum_declaration: ['enum', true],
    record_declaration: ['class', true],
    annotation_type_declaration: ['interface', true],
    method_declaration: ['method'],
    constructor_declaration: ['method'],
  },
  [],
  ['line_comment', 'block_comment'],
);

const csharp = simple(
  {
    class_declaration: ['class', true],
    interface_declaration: ['interface', true],
    struct_declaration: ['struct', true],
    record_declaration: ['class', true],
    enum_declaration: ['enum'],
    namespace_declaration: ['namespace', true],
    method_declaration: ['method'],
    constructor_declaration: ['method'],
    property_declaration: ['property'],
  },
  [],
  ['comment'],
);

const php = simple(
  {
    function_definition: ['function'],
    class_declaration: ['class', true],
    interface_declaration: ['interface', true],
    trait_declaration: ['trait', true],
    enum_declaration: ['enum', true],
    method_declaration: ['method'],
  },
  [],
  ['comment'],
);

const ruby = simple(
  { method: ['function'], singleton_method: ['function'], class: ['class', true], module: ['module', true] },
  [],
  ['comment'],
);

const bash = simple({ function_definition: ['function'] }, [], ['comment']);

const rust: LanguageSpec = {
  wrappers: new Set([]),
  leading: new Set(['line_comment', 'block_comment', 'attribute_item']),
  def(node, type, ctx) {
    // The name is looked up only for definition nodes: every lookup is a call into the parser.
    const named = (kind: SymbolKind, container = false): DefInfo | null => {
      const n = name(node);
      return n ? { kind, name: n, container } : null;
    };
    switch (type) {
      case 'function_item':
      case 'function_signature_item':
        return named(ctx.inContainer ? 'method' : 'function');
      case 'struct_item':
        return named('struct');
      case 'enum_item':
        return named('enum');
      case 'trait_item':
        return named('trait', true);
      case 'type_item':
        return named('type');
      case 'mod_item':
        return node.childForFieldName('body') ? named('module', true) : null;
      case 'macro_definition':
        return named('function');
      case 'impl_item': {
        const implType = node.childForFieldName('type')?.text.replace(/<.*$/s, '');
        return implType ? { kind: 'class', name: implType, container: true } : null;
      }
      default:
        return null;
    }
  },
};

function cDeclaratorName(node: Node | null): string | null {
  let current = node;
  while (current) {
    if (/^(identifier|field_identifier|qualified_identifier|destructor_name|operator_name|type_identifier)$/.test(current.type)) {
      return current.text;
    }
    current = current.childForFieldName('declarator');
  }
  return null;
}

function cFamily(cpp: boolean): LanguageSpec {
  return {
    wrappers: new Set(cpp ? ['template_declaration'] : []),
    leading: new Set(['comment']),
    def(node, type, ctx) {
      switch (type) {
        case 'function_definition': {
          const n = cDeclaratorName(node.childForFieldName('declarator'));
          if (!n) return null;
          const parts = n.split('::');
          const last = parts.pop() ?? n;
          return {
            kind: ctx.inContainer || parts.length > 0 ? 'method' : 'function',
            name: last,
            qualifier: parts.length > 0 ? parts.join('.') : undefined,
          };
        }
        case 'struct_specifier':
        case 'class_specifier':
        case 'union_specifier': {
          const n = name(node);
          if (!n || !node.childForFieldName('body')) return null;
          return { kind: type === 'class_specifier' ? 'class' : 'struct', name: n, container: cpp };
        }
        case 'enum_specifier': {
          const n = name(node);
          return n && node.childForFieldName('body') ? { kind: 'enum', name: n } : null;
        }
        case 'namespace_definition': {
          const n = name(node);
          return n ? { kind: 'namespace', name: n, container: true } : null;
        }
        default:
          return null;
      }
    },
  };
}

export const LANGUAGE_SPECS: Partial<Record<LanguageId, LanguageSpec>> = {
  typescript: jsLike,
  tsx: jsLike,
  javascript: jsLike,
  python,
  go,
  java,
  rust,
  ruby,
  c: cFamily(false),
  cpp: cFamily(true),
  csharp,
  php,
  bash,
};
