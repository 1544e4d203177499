import { importName, packageExports, type ScopeDescription } from '../semantic/index.js';
import { signaturesOf, type FunctionSignature, type SignatureScope } from '../semantic/check-calls.js';
import type { File } from '../syntax/ast.js';
import { formatDiagnostics } from '../syntax/diagnostic.js';
import { parse } from '../syntax/parser.js';
import type { Value } from '../values/value.js';
import { makeBuiltin, parseSignature, type BuiltinSpec } from './builtin.js';
import type { ExecContext, PackageInstance } from './context.js';
import { CallError } from './flux-error.js';
import { LazyMembers } from './lazy-members.js';
import { Scope } from './scope.js';
import { runStatements } from './statements.js';

/**
 * A Flux package: builtins written in TypeScript, constant values, and optionally Flux source of
 * our own (functions defined in terms of other functions, options with defaults). `builtin x`
 * statements in the source must name a TypeScript builtin of the package.
 */
export interface PackageDef {
  readonly path: string;
  readonly builtins?: Readonly<Record<string, BuiltinSpec>>;
  readonly values?: Readonly<Record<string, Value>>;
  readonly source?: string;
}

/** Every package a Flux execution can import. One registry serves many executions. */
export class PackageRegistry {
  readonly #defs = new Map<string, PackageDef>();
  readonly #files = new Map<string, File>();
  #signatures: SignatureScope | undefined;
  #scope: ScopeDescription | undefined;

  register(...defs: PackageDef[]): this {
    for (const def of defs) {
      const prev = this.#defs.get(def.path);
      // Several modules may contribute to one package (universe is large): merge them.
      this.#defs.set(def.path, prev === undefined ? def : mergeDefs(prev, def));
      this.#files.delete(def.path);
    }
    this.#signatures = undefined;
    this.#scope = undefined;
    return this;
  }

  has(path: string): boolean {
    return this.#defs.has(path);
  }

  paths(): string[] {
    return [...this.#defs.keys()].sort();
  }

  /** The names a package exports. */
  exportsOf(path: string): string[] {
    const def = this.#defs.get(path);
    if (def === undefined) return [];
    const names = new Set<string>([...Object.keys(def.builtins ?? {}), ...Object.keys(def.values ?? {})]);
    const file = this.#file(def);
    if (file !== undefined) for (const n of packageExports(file)) names.add(n);
    return [...names];
  }

  /**
   * Every package's function signatures (builtins' declared types and functions defined in
   * package sources), so calls with missing or unknown arguments fail before anything runs.
   */
  signatureScope(): SignatureScope {
    if (this.#signatures !== undefined) return this.#signatures;
    const packages = new Map<string, Map<string, FunctionSignature>>();
    for (const [path, def] of this.#defs) {
      const sigs = new Map<string, FunctionSignature>();
      const file = this.#file(def);
      if (file !== undefined) for (const [name, sig] of signaturesOf(file)) sigs.set(name, sig);
      for (const [name, spec] of Object.entries(def.builtins ?? {})) {
        const required: string[] = [];
        const optional: string[] = [];
        let pipe: string | null = null;
        for (const p of parseSignature(spec.signature).parameters) {
          if (p.pipe === true) pipe = p.name;
          else if (p.optional === true) optional.push(p.name);
          else required.push(p.name);
        }
        sigs.set(name, { required, optional, pipe });
      }
      packages.set(path, sigs);
    }
    this.#signatures = { universe: packages.get('universe') ?? new Map(), packages };
    return this.#signatures;
  }

  /** What the semantic checker needs: the prelude names and every package's exports. */
  scopeDescription(): ScopeDescription {
    // Every compile needs it (a task's first run, each interactive query): computed once per
    // registration, like the signatures. Callers only read it.
    if (this.#scope !== undefined) return this.#scope;
    const packages = new Map<string, string[]>();
    for (const path of this.#defs.keys()) packages.set(path, this.exportsOf(path));
    this.#scope = { universe: this.exportsOf('universe'), packages };
    return this.#scope;
  }

  async instantiate(path: string, ctx: ExecContext): Promise<PackageInstance> {
    const def = this.#defs.get(path);
    if (def === undefined) throw new CallError(`invalid import path ${path}`);
    const members = new LazyMembers();
    const parent = path === 'universe' ? null : ctx.universe.scope;
    const scope = new Scope(parent, members);
    const { builtins, values } = this.#tables(def);
    members.deferAll(builtins, (name, spec) => makeBuiltin(name, spec, ctx));
    for (const [name, v] of values) members.set(name, v);
    const file = this.#file(def);
    if (file !== undefined) {
      const imports = await bindImports(file, ctx, scope);
      const fileScope = imports;
      await runStatements(file.body, fileScope, ctx, {
        topLevel: false,
        builtin: (name) => {
          const v = members.get(name);
          if (v === undefined) throw new CallError(`package ${path}: builtin ${name} has no implementation`);
          return v;
        },
        define: (name, v) => members.set(name, v),
      });
    }
    return { path, scope, value: { kind: 'record', fields: members } };
  }

  /** A package's builtins and values as read per instantiation, made once per definition. */
  #tables(def: PackageDef): PackageTables {
    let t = this.#tableCache.get(def);
    if (t === undefined) {
      t = { builtins: new Map(Object.entries(def.builtins ?? {})), values: Object.entries(def.values ?? {}) };
      this.#tableCache.set(def, t);
    }
    return t;
  }

  readonly #tableCache = new WeakMap<PackageDef, PackageTables>();

  #file(def: PackageDef): File | undefined {
    if (def.source === undefined) return undefined;
    let file = this.#files.get(def.path);
    if (file === undefined) {
      const r = parse(def.source, `${def.path}.flux`);
      if (r.diagnostics.length > 0) throw new Error(`package ${def.path}: ${formatDiagnostics(r.diagnostics)}`);
      file = r.file;
      this.#files.set(def.path, file);
    }
    return file;
  }
}

interface PackageTables {
  readonly builtins: ReadonlyMap<string, BuiltinSpec>;
  readonly values: readonly (readonly [string, Value])[];
}

function mergeDefs(a: PackageDef, b: PackageDef): PackageDef {
  const source = [a.source, b.source].filter((s) => s !== undefined).join('\n');
  return {
    path: a.path,
    builtins: { ...a.builtins, ...b.builtins },
    values: { ...a.values, ...b.values },
    ...(source === '' ? {} : { source }),
  };
}

/**
 * Binds a file's imports in a new scope between `parent` and the file's own definitions, so
 * imports are visible to the file but are not exported as members.
 */
export async function bindImports(file: File, ctx: ExecContext, parent: Scope): Promise<Scope> {
  if (file.imports.length === 0) return parent;
  const scope = new Scope(parent);
  for (const imp of file.imports) {
    const path = imp.path.value;
    if (!ctx.registry.has(path)) {
      throw new CallError(`invalid import path ${path}`);
    }
    const inst = await ctx.importPackage(path);
    scope.set(importName(path, imp.alias?.name ?? null), inst.value);
  }
  return scope;
}
