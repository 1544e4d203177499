import { CallError, type BuiltinSpec } from '../../../interpreter/index.js';
import { streamValue } from '../../../values/value.js';
import { emaSeries } from './exponential-average.js';
import { floatColumn, floatsOf, isNumeric, validityOf } from './numeric-input.js';
import { emptyWithFloats, tailWithFloats } from './tail-rows.js';

/**
 * TRIX: the percentage change between consecutive values of a triple-smoothed exponential
 * moving average of `_value` (EMA of EMA of EMA, each over n points). The first 3n-2 rows only
 * feed the averages; a table too short for any output gives one row (its last, value null) when
 * it has fewer than 3n-3 rows, else none — Flux's shapes.
 */
const tripleExponentialDerivative: BuiltinSpec = {
  signature: '(<-tables: stream[{B with _value: A}], n: int) => stream[{B with _value: float}]',
  call(args) {
    const nArg = args.int('n');
    if (nArg <= 0n) throw new CallError(`cannot take triple exponential derivative with a period of ${nArg} (must be greater than 0)`);
    const n = Number(nArg);
    const input = args.stream();
    return streamValue(
      args.output(async function* () {
        for await (const t of input) {
          const j = t.colIndex('_value');
          if (j < 0) throw new CallError('cannot find _value column');
          const c = t.columns[j]!;
          if (!isNumeric(c)) throw new CallError(`cannot take exponential moving average of column _value (type ${c.type})`);
          if (t.length === 0) {
            yield emptyWithFloats(t, [j]);
            continue;
          }
          const e1 = emaSeries(floatsOf(c), validityOf(c), n).out;
          const e2 = emaSeries(e1.values, e1.valid, n).out;
          const e3 = emaSeries(e2.values, e2.valid, n).out;
          if (e3.values.length <= 1) {
            if (t.length < 3 * n - 3) {
              const one = floatColumn({ values: new Float64Array(1), valid: new Uint8Array(1) });
              yield tailWithFloats(t, t.length - 1, new Map([[j, one]]));
            } else {
              yield emptyWithFloats(t, [j]);
            }
            continue;
          }
          const m = e3.values.length - 1;
          const values = new Float64Array(m);
          const valid = new Uint8Array(m);
          for (let i = 1; i <= m; i++) {
            if (e3.valid[i] === 0 || e3.valid[i - 1] === 0) continue;
            values[i - 1] = (e3.values[i]! / e3.values[i - 1]! - 1) * 100;
            valid[i - 1] = 1;
          }
          yield tailWithFloats(t, 3 * n - 2, new Map([[j, floatColumn({ values, valid })]]));
        }
      }),
    );
  },
};

export const tripleExponentialDerivativeBuiltins: Record<string, BuiltinSpec> = { tripleExponentialDerivative };
