import { CallError, type BuiltinSpec, type PackageDef } from '../../../interpreter/index.js';
import {
  countKernel,
  meanKernel,
  skewKernel,
  spreadKernel,
  stddevKernel,
  sumKernel,
  type AggregateKernel,
} from './aggregate-kernels.js';
import { simpleAggregate } from './aggregate-table.js';
import { aggregateWindowBuiltin, type FastReducers } from './aggregate-window.js';
import { quantile } from './quantile.js';
import { firstSelector, lastSelector, maxSelector, minSelector, selectorBuiltin, type RowSelector } from './selectors.js';

const AGG_SIGNATURE = '(<-tables: stream[A], ?column: string) => stream[B]';

function plain(kernel: AggregateKernel): { spec: BuiltinSpec; kernel: AggregateKernel } {
  return { spec: simpleAggregate(AGG_SIGNATURE, () => kernel), kernel };
}

const aggregates = new Map<string, { spec: BuiltinSpec; kernel: AggregateKernel }>([
  ['count', plain(countKernel)],
  ['sum', plain(sumKernel)],
  ['mean', plain(meanKernel)],
  ['spread', plain(spreadKernel)],
  ['skew', plain(skewKernel)],
]);

const selectors = new Map<string, { spec: BuiltinSpec; selector: RowSelector }>(
  (
    [
      ['first', firstSelector],
      ['last', lastSelector],
      ['min', minSelector],
      ['max', maxSelector],
    ] as const
  ).map(([name, selector]) => [name, { spec: selectorBuiltin(selector), selector }]),
);

const fast: FastReducers = { aggregates, selectors };

const stddev = simpleAggregate('(<-tables: stream[A], ?column: string, ?mode: string) => stream[B]', (args) => {
  const mode = args.stringOr('mode', 'sample');
  if (mode !== 'sample' && mode !== 'population') throw new CallError(`"${mode}" is not a valid standard deviation mode`);
  return stddevKernel(mode);
});

const builtins: Record<string, BuiltinSpec> = {
  ...Object.fromEntries([...aggregates].map(([name, a]) => [name, a.spec])),
  ...Object.fromEntries([...selectors].map(([name, s]) => [name, s.spec])),
  stddev,
  quantile,
  aggregateWindow: aggregateWindowBuiltin(fast),
};

/** Functions of universe defined in Flux in terms of the builtins above (our own definitions). */
const source = `
median = (method="estimate_tdigest", compression=0.0, column="_value", tables=<-) =>
    tables |> quantile(q: 0.5, method: method, compression: compression, column: column)
`;

/** The aggregates and selectors of universe, aggregateWindow. */
export const universeAggregates: PackageDef[] = [{ path: 'universe', builtins, source }];
