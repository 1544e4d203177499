import { readFile } from 'node:fs/promises';
import { csvFromTables } from '../../csv/result-decoder.js';
import { streamOf } from '../../execute/table-stream.js';
import { CallError, type BuiltinSpec, type PackageDef } from '../../interpreter/index.js';
import { streamValue } from '../../values/value.js';

/**
 * `csv.from(csv:|file:, mode:)`: tables from annotated CSV (or raw CSV, every column a string).
 * Errors carry Flux's prefix `error in csv.from(): `.
 */
const from: BuiltinSpec = {
  signature: '(?csv: string, ?file: string, ?mode: string) => stream[A]',
  call(args) {
    const text = args.optString('csv');
    const file = args.optString('file');
    const mode = args.stringOr('mode', 'annotations');
    if (mode !== 'annotations' && mode !== 'raw') throw new CallError(`error in csv.from(): invalid mode "${mode}"`);
    if ((text === undefined) === (file === undefined)) {
      throw new CallError('error in csv.from(): must provide exactly one of the parameters csv or file');
    }
    return streamValue(
      args.output(async function* () {
        let source = text;
        if (source === undefined) {
          try {
            source = await readFile(file!, 'utf8');
          } catch (e) {
            throw new CallError(`error in csv.from(): ${(e as Error).message}`);
          }
        }
        let tables;
        try {
          tables = csvFromTables(source, mode);
        } catch (e) {
          throw new CallError(`error in csv.from(): ${(e as Error).message}`);
        }
        yield* streamOf(tables);
      }),
    );
  },
};

export const csvPackage: PackageDef = { path: 'csv', builtins: { from } };
