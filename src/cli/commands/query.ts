import { readFile } from 'node:fs/promises';
import { invalid } from '../../core/errors.js';
import { runCommand, type CommandIo, type CommandSpec } from './common/command-spec.js';
import { formatTable } from './common/table-format.js';
import { decodeAnnotatedCsv, typedCell, type ResultTable } from './query/annotated-csv-tables.js';

/**
 * `sluice query`: runs Flux from an argument, a file (`-f`) or stdin (`-`). Prints each result
 * table aligned (with its group key), the annotated CSV as the server sent it (`--raw`), or the
 * records as JSON (`--json`, one object per table with typed values).
 */
export const querySpec: CommandSpec = {
  summary: 'run a Flux query and print the result',
  usage: "sluice query [-f FILE | -] ['FLUX'] [--raw | --json] [-o ORG]",
  examples: [
    `sluice query 'from(bucket: "telemetry") |> range(start: -1h)'`,
    'sluice query -f report.flux --raw > report.csv',
    'echo \'buckets()\' | sluice query - --json',
  ],
  flags: {
    file: { type: 'string', short: 'f', help: 'file holding the Flux query' },
    raw: { type: 'boolean', short: 'r', help: 'print the annotated CSV response unchanged' },
  },
  async run(io) {
    const flux = await fluxText(io);
    printResult(io, await io.client().query(io.orgRef(), flux));
  },
};

/**
 * Prints a Flux result: unchanged with `--raw`, as JSON with `--json`, else as tables. An
 * error table in the stream (a failure after output began) becomes the command's error.
 */
export function printResult(io: CommandIo, csv: string): void {
  if (io.bool('raw')) {
    io.out(csv);
    return;
  }
  const tables = decodeAnnotatedCsv(csv);
  const failed = tables.find((t) => t.columns.some((c) => c.name === 'error') && t.columns.some((c) => c.name === 'reference'));
  if (failed !== undefined) throw invalid(failed.rows[0]?.[failed.columns.findIndex((c) => c.name === 'error')] ?? 'query failed');
  if (io.json) io.out(JSON.stringify(tables.map(tableJson), null, 2) + '\n');
  else io.out(tables.map((t) => tableText(t, io.hideHeaders)).join('\n'));
}

/** The query text: `-f FILE`, `-` (stdin) or the positional argument. */
export async function fluxText(io: CommandIo): Promise<string> {
  const file = io.str('file');
  if (file !== undefined) return readFile(file, 'utf8');
  const [arg] = io.args;
  if (arg === '-' || (arg === undefined && process.stdin.isTTY !== true)) return readStdin();
  if (arg === undefined) throw invalid('no query: give it as an argument, with -f FILE, or - for stdin');
  return arg;
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The data columns (without the annotation column, `result` and `table`). */
const dataColumns = (t: ResultTable): number[] =>
  t.columns.flatMap((c, i) => (c.name === '' || c.name === 'result' || c.name === 'table' ? [] : [i]));

function tableJson(t: ResultTable): Record<string, unknown> {
  const cols = dataColumns(t);
  return {
    result: t.result,
    table: Number(t.table),
    groupKey: Object.fromEntries(cols.filter((i) => t.columns[i]!.group).map((i) => [t.columns[i]!.name, typedCell(t.columns[i]!.datatype, t.rows[0]?.[i] ?? '')])),
    records: t.rows.map((r) => Object.fromEntries(cols.map((i) => [t.columns[i]!.name, typedCell(t.columns[i]!.datatype, r[i] ?? '')]))),
  };
}

/** As `influx query` prints a table: its result and group key, then the columns aligned. */
function tableText(t: ResultTable, hideHeaders: boolean): string {
  const cols = dataColumns(t);
  const keys = cols.filter((i) => t.columns[i]!.group).map((i) => t.columns[i]!.name);
  const head = `Result: ${t.result}\nTable: keys: [${keys.join(', ')}]\n`;
  const names = cols.map((i) => `${t.columns[i]!.name}:${t.columns[i]!.datatype.replace(/^dateTime:RFC3339$/, 'time')}`);
  const rows = t.rows.map((r) => cols.map((i) => r[i] ?? ''));
  return (hideHeaders ? '' : head) + formatTable(names, rows, hideHeaders);
}

export const queryCommand = (argv: readonly string[]): Promise<number> => runCommand('sluice query', querySpec, argv);
