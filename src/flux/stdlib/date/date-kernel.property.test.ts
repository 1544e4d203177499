import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compiledAndEvaluated, programOutcome } from '../universe/aggregates/program-tables.js';
import { CivilCache, civil } from './calendar.js';

/**
 * The date functions' calendar fields and `date.time` declare a scalar form (for the execution's
 * `option location` when called without `location:`), so row functions calling them compile to
 * column kernels. They must give what evaluating the function per row gives, in every location,
 * and a column with nulls is left to the builtin.
 */

const parts = ['hour', 'minute', 'second', 'millisecond', 'microsecond', 'nanosecond', 'weekDay', 'monthDay', 'yearDay', 'month', 'year', 'week', 'quarter'];
const locations = [
  '',
  'option location = timezone.fixed(offset: -2h30m)',
  'option location = timezone.location(name: "America/New_York")',
  'option location = timezone.location(name: "Asia/Kolkata")',
];

const DAY = 86_400_000_000_000n;
/** Times around 2021 (in runs of a day, across DST changes) and anywhere in int64. */
const timeArb = fc.oneof(
  fc.bigInt({ min: 1_609_459_200_000_000_000n, max: 1_640_995_200_000_000_000n }),
  fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }),
  fc.integer({ min: -3, max: 3 }).map((k) => BigInt(k) * DAY + 1_615_680_000_000_000_000n + BigInt(k % 2)),
);

function program(times: readonly (bigint | null)[], body: string, compiled: boolean, location: string): string {
  const lit = times.map((t) => `{t: ${t === null ? 'debug.null(type: "time")' : `time(v: ${t})`}}`).join(', ');
  const fn = compiledAndEvaluated('r', body)[compiled ? 0 : 1];
  return `import "array"\nimport "date"\nimport "timezone"\nimport "internal/debug"\n${location}\narray.from(rows: [${lit}]) |> map(fn: ${fn})`;
}

describe('date functions compiled as column kernels', () => {
  it('map gives what the functions give per row, in any location', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(timeArb, { nil: null, freq: 10 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(...parts),
        fc.constantFrom(...locations),
        async (times, part, location) => {
          const body = `({r with p: date.${part}(t: r.t), w: date.time(t: r.t)})`;
          const compiled = await programOutcome(program(times, body, true, location));
          const evaluated = await programOutcome(program(times, body, false, location));
          expect(compiled).toEqual(evaluated);
          if (typeof compiled !== 'string') answered++;
        },
      ),
      { numRuns: 200 },
    );
    expect(answered).toBeGreaterThan(100);
  });

  it('a filter on the hour keeps the rows the evaluated filter keeps', async () => {
    const times = Array.from({ length: 48 }, (_, k) => 1_615_680_000_000_000_000n + BigInt(k) * 1_800_000_000_000n);
    for (const location of locations) {
      const body = 'date.hour(t: r.t) >= 9 and date.hour(t: r.t) < 17';
      const run = (compiled: boolean): Promise<unknown> =>
        programOutcome(program(times, body, compiled, location).replace('|> map(fn:', '|> filter(fn:'));
      const compiled = await run(true);
      expect(compiled).toEqual(await run(false));
      expect(Array.isArray(compiled) && compiled[0]!.rows.length).toBeGreaterThan(0);
    }
  });
});

describe('CivilCache', () => {
  it('gives civil() of every time, whichever day the one before was on', () => {
    const cache = new CivilCache();
    fc.assert(
      fc.property(fc.array(timeArb, { minLength: 1, maxLength: 30 }), (times) => {
        for (const t of times) expect({ ...cache.civil(t) }).toEqual(civil(t));
      }),
      { numRuns: 300 },
    );
  });
});
