import { GroupKey } from '../../execute/group-key.js';
import { TableBuilder } from '../../execute/table-builder.js';
import { CallError, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { NULL, floatValue, stringValue, streamValue, timeValue, type Value } from '../../values/value.js';

const START_NS = 1_262_304_000_000_000_000n; // 2010-01-01T00:00:00Z
const STEP_NS = 10_000_000_000n; // 10 s between rows

/** mulberry32: a small, fast, seedable PRNG (deterministic test data, not cryptography). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `internal/gen.tables(n, nulls, tags, seed)`: synthetic series for tests and benchmarks. One
 * table per combination of tag values (tag `name` takes values `<name>0 … <name>(cardinality-1)`),
 * each with `n` rows 10 s apart from 2010-01-01 and random float `_value`s, a `nulls` fraction of
 * them null. Deterministic for a given seed — but not the same numbers as Flux's generator.
 */
const tables: BuiltinSpec = {
  signature: '(n: int, ?nulls: float, ?tags: [{name: string, cardinality: int}], ?seed: int) => stream[{A with _time: time, _value: float}]',
  call(args) {
    const n = Number(args.int('n'));
    if (n < 0) throw new CallError('n must be non-negative');
    const nulls = args.has('nulls') ? args.float('nulls') : 0;
    const tagSpecs = args.has('tags')
      ? args.array('tags').elements.map((e) => {
          if (e.kind !== 'record') throw new CallError('tags must be records');
          const name = e.fields.get('name');
          const card = e.fields.get('cardinality');
          if (name?.kind !== 'string' || card?.kind !== 'int') throw new CallError('tags need name (string) and cardinality (int)');
          return { name: name.value, cardinality: Number(card.value) };
        })
      : [];
    const seed = args.has('seed') ? Number(args.int('seed')) : 0;
    const budget = args.ctx.budget;
    return streamValue(
      args.output(async function* () {
        const random = prng(seed);
        const combos: string[][] = tagSpecs.reduce<string[][]>(
          (acc, t) => acc.flatMap((c) => Array.from({ length: t.cardinality }, (_, i) => [...c, `${t.name}${i}`])),
          [[]],
        );
        for (const combo of combos) {
          const key = GroupKey.of(tagSpecs.map((t, i) => [{ label: t.name, type: 'string' }, stringValue(combo[i]!)] as const));
          const b = new TableBuilder(key, budget);
          b.addColumn('_time', 'time');
          b.addColumn('_value', 'float');
          for (const t of tagSpecs) b.addColumn(t.name, 'string');
          for (let i = 0; i < n; i++) {
            const v: Value = random() < nulls ? NULL : floatValue(random() * 100);
            b.appendRow([timeValue(START_NS + BigInt(i) * STEP_NS), v, ...combo.map(stringValue)]);
          }
          yield b.build();
        }
      }),
    );
  },
};

export const internalGenPackage: PackageDef = { path: 'internal/gen', builtins: { tables } };
