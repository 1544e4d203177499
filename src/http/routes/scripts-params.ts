import { invalid } from '../../core/errors.js';
import { makeNode, parse, walk, formatDiagnostics, type Expression, type File, type Node, type Statement } from '../../flux/syntax/index.js';

/**
 * Invokable-script parameters (InfluxDB Cloud): a script reads them as `params.<key>`, a record
 * supplied at invocation as JSON (the query path binds it). Parameters are found in the AST.
 */

/** The types Cloud's `/scripts/{id}/params` reports. */
export type ParamType = 'any' | 'bool' | 'duration' | 'float' | 'int' | 'string' | 'time' | 'uint';

/** Named arguments that always take a string (`from(bucket: params.b)`). */
const STRING_ARGUMENTS = new Set(['bucket', 'bucketID', 'org', 'orgID', 'host', 'token', 'measurement', 'field', 'url', 'name', 'tag']);
/** Named arguments that take a time or a duration: `range(start: params.start)`. */
const TIMEABLE_ARGUMENTS = new Set(['start', 'stop']);

function parseOrThrow(script: string): File {
  const { file, diagnostics } = parse(script);
  if (diagnostics.length > 0) throw invalid(`could not parse Flux script: ${formatDiagnostics(diagnostics)}`);
  return file;
}

function paramKey(e: Expression | null | undefined): string | undefined {
  if (e?.kind !== 'MemberExpression' || e.object.kind !== 'Identifier' || e.object.name !== 'params') return undefined;
  return e.property.kind === 'Identifier' ? e.property.name : e.property.value;
}

const LITERAL_TYPES: Partial<Record<Node['kind'], ParamType>> = {
  StringLiteral: 'string',
  StringExpression: 'string',
  IntegerLiteral: 'int',
  FloatLiteral: 'float',
  DurationLiteral: 'duration',
  DateTimeLiteral: 'time',
};

/**
 * Every `params.<key>` the script reads, with its type where the use makes it plain: a named
 * argument known to take a string (`bucket`, `org`, …), or a comparison with a literal.
 * Anything else is `any`, as Cloud answers when it cannot tell.
 */
export function scriptParams(script: string): Map<string, ParamType> {
  const file = parseOrThrow(script);
  const out = new Map<string, ParamType>();
  const note = (key: string, type: ParamType): void => {
    const seen = out.get(key);
    if (seen === undefined || seen === 'any') out.set(key, type);
  };
  walk(file, (node) => {
    const key = paramKey(node as Expression);
    if (key !== undefined) note(key, 'any');
    if (node.kind === 'Property' && node.value !== null) {
      const k = paramKey(node.value);
      const arg = node.key.kind === 'Identifier' ? node.key.name : node.key.value;
      if (k !== undefined && STRING_ARGUMENTS.has(arg)) note(k, 'string');
      if (k !== undefined && TIMEABLE_ARGUMENTS.has(arg)) note(k, 'any');
    }
    if (node.kind === 'BinaryExpression') {
      const pairs: [Expression, Expression][] = [
        [node.left, node.right],
        [node.right, node.left],
      ];
      for (const [p, other] of pairs) {
        const k = paramKey(p);
        const t = LITERAL_TYPES[other.kind];
        if (k !== undefined && t !== undefined) note(k, t);
      }
    }
    return true;
  });
  return out;
}

/** Throws 400 `invalid parameters provided` (Cloud's answer) if the script reads a parameter not given. */
export function checkParamsProvided(script: string, params: Readonly<Record<string, unknown>>): void {
  for (const key of scriptParams(script).keys()) {
    if (!Object.prototype.hasOwnProperty.call(params, key) || params[key] === null) throw invalid('invalid parameters provided');
  }
}

/** A Flux string literal: `"`, `\` and `${` escaped, newlines and tabs as escapes. */
export function fluxString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$\{/g, '\\${').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

/**
 * The script with `prelude` statements (Flux source, e.g. `params = {…}` or `option task = {…}`)
 * placed before its own statements, after its imports. Positions of the prelude nodes point at
 * the prelude, so errors in the script itself keep their line numbers.
 */
export function withPrelude(script: string, prelude: string): File {
  const file = parseOrThrow(script);
  if (prelude === '') return file;
  const { file: pre, diagnostics } = parse(prelude);
  if (diagnostics.length > 0) throw invalid(`invalid parameters provided: ${formatDiagnostics(diagnostics)}`);
  const body: Statement[] = [...pre.body, ...file.body];
  return makeNode('File', file.loc, { name: file.name, package: file.package, imports: file.imports, body });
}
