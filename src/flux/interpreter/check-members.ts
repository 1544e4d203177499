import { importName } from '../semantic/index.js';
import type { File } from '../syntax/ast.js';
import type { Diagnostic } from '../syntax/diagnostic.js';
import { walk } from '../syntax/walk.js';
import type { PackageRegistry } from './packages.js';

/**
 * Reports `pkg.member` where `pkg` is an imported package that has no such member, in Flux's
 * words (`record is missing label member`: to Flux's checker a package is a record), before
 * anything runs. An import name that the file also binds itself (variable, parameter) is left
 * alone: that is shadowing, not a package access.
 */
export function checkPackageMembers(file: File, registry: PackageRegistry, fileName = file.name): Diagnostic[] {
  const imports = new Map<string, string>();
  for (const imp of file.imports) imports.set(importName(imp.path.value, imp.alias?.name ?? null), imp.path.value);
  if (imports.size === 0) return [];
  const bound = new Set<string>();
  walk(file, (n) => {
    if (n.kind === 'VariableAssignment') bound.add(n.id.name);
    if (n.kind === 'FunctionExpression') for (const p of n.params) if (p.key.kind === 'Identifier') bound.add(p.key.name);
  });
  const exports = new Map<string, Set<string>>();
  const diagnostics: Diagnostic[] = [];
  walk(file, (n) => {
    if (n.kind !== 'MemberExpression' || n.object.kind !== 'Identifier') return;
    const path = imports.get(n.object.name);
    if (path === undefined || bound.has(n.object.name) || !registry.has(path)) return;
    let names = exports.get(path);
    if (names === undefined) exports.set(path, (names = new Set(registry.exportsOf(path))));
    const member = n.property.kind === 'Identifier' ? n.property.name : n.property.value;
    if (!names.has(member)) {
      diagnostics.push({ code: 'missing-member', message: `record is missing label ${member}`, loc: n.property.loc, file: fileName });
    }
  });
  return diagnostics;
}
