// Malformed builtin type expressions. Type expressions recover the way Flux's parser does: a missing close
// token makes the parser read on into the next statements, so the errors cascade (all reported).
builtin a : [int
builtin b : {x: int y: string}
builtin c : (x: int => int
builtin d : (r: A) => A where A
builtin e : stream[
builtin f : int
