import { tableFromColumns } from '../../execute/table-builder.js';
import { streamOf } from '../../execute/table-stream.js';
import { CallError, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { streamValue, timeValue } from '../../values/value.js';

const START_NS = 1_609_459_200_000_000_000n; // 2021-01-01T00:00:00Z
const STEP_NS = 10_000_000_000n; // one point every 10 s
const POINTS = 6;

/**
 * The documented sample series: two tables (tag t1, t2) of six points each, 10 s apart from
 * `start`. With includeNull, the listed positions hold null.
 */
const SERIES = {
  numeric: {
    t1: [-2.18, 10.92, 7.35, 17.53, 15.23, 4.43],
    t2: [19.85, 4.97, -3.75, 19.77, 13.86, 1.86],
  },
  string: {
    t1: ['smpl_g9qczs', 'smpl_0mgv9n', 'smpl_phw664', 'smpl_guvzy4', 'smpl_5v3cce', 'smpl_s9fmgy'],
    t2: ['smpl_b5eida', 'smpl_eu4oxp', 'smpl_5g7tz4', 'smpl_sox1ut', 'smpl_wfm757', 'smpl_dtn2bv'],
  },
  bool: {
    t1: [true, true, false, true, false, false],
    t2: [false, true, false, true, true, false],
  },
} as const;
const NULL_AT = { t1: [1, 3, 4], t2: [0, 4] } as const;
const TYPES = { numeric: 'float', string: 'string', bool: 'bool' } as const;

const sample: BuiltinSpec = {
  signature: '(kind: string, includeNull: bool) => stream[A]',
  call(args) {
    const kind = args.string('kind');
    if (!(kind in SERIES)) throw new CallError(`unknown sample kind "${kind}"`);
    const k = kind as keyof typeof SERIES;
    const includeNull = args.bool('includeNull');
    const tables = (['t1', 't2'] as const).map((tag) => {
      const values = SERIES[k][tag].map((v, i) => (includeNull && (NULL_AT[tag] as readonly number[]).includes(i) ? null : v));
      const times = Array.from({ length: POINTS }, (_, i) => START_NS + BigInt(i) * STEP_NS);
      return tableFromColumns(
        [
          ['_time', 'time', times],
          ['tag', 'string', times.map(() => tag)],
          ['_value', TYPES[k], values],
        ],
        ['tag'],
      );
    });
    return streamValue(streamOf(tables));
  },
};

const source = `
float = (includeNull=false) => _sample(kind: "numeric", includeNull: includeNull)
int = (includeNull=false) => _sample(kind: "numeric", includeNull: includeNull) |> toInt()
uint = (includeNull=false) => _sample(kind: "numeric", includeNull: includeNull) |> toUInt()
string = (includeNull=false) => _sample(kind: "string", includeNull: includeNull)
bool = (includeNull=false) => _sample(kind: "bool", includeNull: includeNull)
numericBool = (includeNull=false) => _sample(kind: "bool", includeNull: includeNull) |> toInt()
`;

/** sampledata: small fixed datasets for examples and tests (`start`..`stop` is their minute). */
export const sampledataPackage: PackageDef = {
  path: 'sampledata',
  builtins: { _sample: sample },
  values: { start: timeValue(START_NS), stop: timeValue(START_NS + 60_000_000_000n) },
  source,
};
