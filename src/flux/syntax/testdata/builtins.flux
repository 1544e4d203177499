package types

// Builtin statements with every form of type expression.
builtin now : () => time
builtin n : int
builtin arr : [string]
builtin dict : [string:int]
builtin vec : vector[float]
builtin dyn : dynamic
builtin rec : {a: int, "b c": string}
builtin emptyRec : {}
builtin open : {A with a: int}
builtin filter : (<-tables: stream[T], fn: (r: T) => bool, ?onEmpty: string) => stream[T] where T: Record
builtin anonPipe : (<-: stream[A]) => stream[A]
builtin add : (a: A, b: A) => A where A: Addable + Comparable, B: Record
builtin label : (?column: L = ._value) => L where L: Label
builtin fields : (r: {A with _field: string, _value: B}) => {C with _value: B}
