/** The Flux interpreter: compile-to-closures evaluation of programs, packages and builtins. */
export { Args, makeBuiltin, parseSignature, pipeParameter, type BuiltinSpec } from './builtin.js';
export { Closure, Compiler, type Compiled, type MaybeValue } from './compile.js';
export { ExecContext, ExternalKey, type ExecContextInit, type PackageInstance, type ProgramResult } from './context.js';
export { CallError, FluxError, atCall } from './flux-error.js';
export { PackageRegistry, type PackageDef } from './packages.js';
export { FluxCompileError, compileProgram, runProgram, type ProgramRun } from './program.js';
export { compileRegexp } from './regexp.js';
export { Scope } from './scope.js';
export { lazyStream, onceStream } from './streams.js';
export { reduceFunctionIR, rowFunctionIR, type RowFunctionIR } from './row-function.js';
