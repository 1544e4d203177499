/**
 * Flux type descriptors (`MonoType`), as the SPEC's Types section defines them. They are plain
 * readonly objects with a `kind` discriminant so the type checker, error messages and table
 * schemas can share one vocabulary. `formatType` prints them the way Flux does in its
 * diagnostics (`int`, `[string]`, `{a: int, b: string}`, `[string:int]`, `(x: int) => int`,
 * `stream[{_value: float}]`, `A`).
 */

/** The types a value of which carries no inner type: the SPEC's basic types. */
export type BasicKind =
  | 'int'
  | 'uint'
  | 'float'
  | 'string'
  | 'bool'
  | 'time'
  | 'duration'
  | 'bytes'
  | 'regexp';

export interface BasicType {
  readonly kind: BasicKind;
}

/** The type of the untyped null literal (a null whose type inference has not fixed). */
export interface NullType {
  readonly kind: 'null';
}

export interface ArrayType {
  readonly kind: 'array';
  readonly element: MonoType;
}

export interface RecordField {
  readonly name: string;
  readonly type: MonoType;
}

export interface RecordType {
  readonly kind: 'record';
  /** Fields in declaration order. */
  readonly fields: readonly RecordField[];
  /** Set for an unbounded record (`{A with a: int}`): the name of the row variable. */
  readonly tail?: string;
}

export interface DictType {
  readonly kind: 'dict';
  readonly key: MonoType;
  readonly value: MonoType;
}

export interface FunctionParameter {
  readonly name: string;
  readonly type: MonoType;
  /** `?name` in Flux signatures: the argument may be omitted. */
  readonly optional?: boolean;
  /** `<-name`: the parameter receives the pipe argument. */
  readonly pipe?: boolean;
}

export interface FunctionType {
  readonly kind: 'function';
  readonly parameters: readonly FunctionParameter[];
  readonly result: MonoType;
}

export interface StreamType {
  readonly kind: 'stream';
  readonly element: MonoType;
}

/** A type variable (`A`, `B`) of a polymorphic signature. */
export interface TypeVariable {
  readonly kind: 'var';
  readonly name: string;
}

export type MonoType =
  | BasicType
  | NullType
  | ArrayType
  | RecordType
  | DictType
  | FunctionType
  | StreamType
  | TypeVariable;

const basic = (kind: BasicKind): BasicType => Object.freeze({ kind });

/** Shared instances of the basic types; compare with `typesEqual`, never by identity. */
export const T = Object.freeze({
  int: basic('int'),
  uint: basic('uint'),
  float: basic('float'),
  string: basic('string'),
  bool: basic('bool'),
  time: basic('time'),
  duration: basic('duration'),
  bytes: basic('bytes'),
  regexp: basic('regexp'),
  null: Object.freeze({ kind: 'null' }) as NullType,
});

export const arrayType = (element: MonoType): ArrayType => ({ kind: 'array', element });
export const recordType = (fields: readonly RecordField[], tail?: string): RecordType =>
  tail === undefined ? { kind: 'record', fields } : { kind: 'record', fields, tail };
export const dictType = (key: MonoType, value: MonoType): DictType => ({ kind: 'dict', key, value });
export const functionType = (parameters: readonly FunctionParameter[], result: MonoType): FunctionType => ({
  kind: 'function',
  parameters,
  result,
});
export const streamType = (element: MonoType): StreamType => ({ kind: 'stream', element });
export const typeVariable = (name: string): TypeVariable => ({ kind: 'var', name });

/**
 * The types a table column may have. The SPEC also lists `bytes`, which Flux's Go engine never
 * puts in a column; `duration` is allowed here because annotated CSV has a `duration` datatype.
 */
export type ColumnType = 'bool' | 'int' | 'uint' | 'float' | 'string' | 'time' | 'duration';

export const COLUMN_TYPES: readonly ColumnType[] = ['bool', 'int', 'uint', 'float', 'string', 'time', 'duration'];

export function isColumnType(kind: string): kind is ColumnType {
  return (COLUMN_TYPES as readonly string[]).includes(kind);
}

/** The MonoType of a column type (a column type is always a basic type). */
export function columnMonoType(type: ColumnType): BasicType {
  return T[type];
}

/** Structural equality of types (record fields compared in order). */
export function typesEqual(a: MonoType, b: MonoType): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'array':
    case 'stream':
      return typesEqual(a.element, (b as ArrayType | StreamType).element);
    case 'dict': {
      const d = b as DictType;
      return typesEqual(a.key, d.key) && typesEqual(a.value, d.value);
    }
    case 'record': {
      const r = b as RecordType;
      if (a.tail !== r.tail || a.fields.length !== r.fields.length) return false;
      return a.fields.every((f, i) => f.name === r.fields[i]!.name && typesEqual(f.type, r.fields[i]!.type));
    }
    case 'function': {
      const f = b as FunctionType;
      if (a.parameters.length !== f.parameters.length || !typesEqual(a.result, f.result)) return false;
      return a.parameters.every((p, i) => {
        const q = f.parameters[i]!;
        return p.name === q.name && !!p.optional === !!q.optional && !!p.pipe === !!q.pipe && typesEqual(p.type, q.type);
      });
    }
    case 'var':
      return a.name === (b as TypeVariable).name;
    default:
      return true;
  }
}

/** Prints a type in Flux's notation, as it appears in Flux error messages. */
export function formatType(t: MonoType): string {
  switch (t.kind) {
    case 'array':
      return `[${formatType(t.element)}]`;
    case 'stream':
      return `stream[${formatType(t.element)}]`;
    case 'dict':
      return `[${formatType(t.key)}:${formatType(t.value)}]`;
    case 'record': {
      const fields = t.fields.map((f) => `${f.name}: ${formatType(f.type)}`).join(', ');
      if (t.tail !== undefined) return fields.length === 0 ? `{${t.tail}}` : `{${t.tail} with ${fields}}`;
      return `{${fields}}`;
    }
    case 'function': {
      const params = t.parameters
        .map((p) => `${p.pipe === true ? '<-' : p.optional === true ? '?' : ''}${p.name}: ${formatType(p.type)}`)
        .join(', ');
      return `(${params}) => ${formatType(t.result)}`;
    }
    case 'var':
      return t.name;
    default:
      return t.kind;
  }
}
