import { collectTables, streamOf } from '../../execute/table-stream.js';
import { FluxError, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { recordValue, streamValue, stringValue, uintValue, type Value } from '../../values/value.js';

/** Flux's numeric error codes (codes.Code) for the SluiceError codes we raise. */
const ERROR_CODES: Record<string, bigint> = {
  canceled: 1n,
  'internal error': 13n,
  invalid: 3n,
  'not found': 5n,
  conflict: 6n,
  forbidden: 7n,
  unauthorized: 16n,
  'too many requests': 8n,
  unavailable: 14n,
  'not implemented': 12n,
};

/**
 * `experimental.catch(fn:)`: calls `fn` and returns `{value}` or, when it fails, `{code, msg}`.
 * A stream result is read in full inside the call, so errors of lazy streams are caught too.
 */
const catchFn: BuiltinSpec = {
  signature: '(fn: () => A) => {code: uint, msg: string, value: A}',
  async call(args) {
    const fn = args.fn('fn');
    try {
      let v: Value = await fn.call(new Map());
      if (v.kind === 'stream') v = streamValue(streamOf(await collectTables(v.tables)));
      return recordValue({ value: v });
    } catch (e) {
      const msg = e instanceof FluxError ? innermost(e) : e instanceof Error ? e.message : String(e);
      const code = ERROR_CODES[(e as { code?: string }).code ?? 'internal error'] ?? 13n;
      return recordValue({ code: uintValue(code), msg: stringValue(msg) });
    }
  },
};

/**
 * The message of the deepest Flux error in a cause chain, as Flux's error value carries it:
 * `fn: message` for a failed builtin (`max: invalid use of …`), the bare message for `die`.
 */
function innermost(e: FluxError): string {
  let cur: unknown = e;
  let detail = withFn(e);
  while (cur instanceof Error && cur.cause !== undefined) {
    cur = cur.cause;
    if (cur instanceof FluxError) detail = withFn(cur);
    else if (cur instanceof Error && !(e.fn !== '' && detail.endsWith(cur.message))) detail = cur.message;
  }
  return detail;
}

const withFn = (e: FluxError): string => (e.fn === '' || e.fn === 'die' ? e.detail : `${e.fn}: ${e.detail}`);

export const experimentalCatch: PackageDef = { path: 'experimental', builtins: { catch: catchFn } };
