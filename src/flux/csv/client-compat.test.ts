import { chunksToLinesIterable, linesToRowsIterable } from '@influxdata/influxdb-client';
import { describe, expect, it } from 'vitest';
import { parseRfc3339Ns } from '../../core/time.js';
import { tableFromColumns } from '../execute/table-builder.js';
import { streamOf } from '../execute/table-stream.js';
import { ANNOTATED_DIALECT } from './csv-dialect.js';
import { encodeResults, type FluxResult } from './result-encoder.js';

/**
 * Our encoder's bytes read back by the official JS client's own parser (the one its QueryApi
 * uses), fed in small chunks that split CRLFs, quotes and UTF-8 sequences.
 */
async function clientRows(results: FluxResult[], chunkBytes: number): Promise<Record<string, unknown>[]> {
  let body = '';
  await encodeResults(results, (c) => {
    body += c;
  }, ANNOTATED_DIALECT);
  const bytes = new TextEncoder().encode(body);
  async function* chunks(): AsyncIterable<Uint8Array> {
    for (let i = 0; i < bytes.length; i += chunkBytes) yield bytes.subarray(i, i + chunkBytes);
  }
  const out: Record<string, unknown>[] = [];
  for await (const row of linesToRowsIterable(chunksToLinesIterable(chunks()))) out.push(row.tableMeta.toObject(row.values));
  return out;
}

describe('JS client (@influxdata/influxdb-client 1.35) reads our annotated CSV', () => {
  const cpu = tableFromColumns(
    [
      ['_time', 'time', [parseRfc3339Ns('2024-01-01T00:00:00.5Z'), parseRfc3339Ns('2024-01-01T00:00:01Z')]],
      ['_value', 'float', [1.5, null]],
      ['_field', 'string', ['usage', 'usage']],
      ['host', 'string', ['a,b "c"\nd', 'a,b "c"\nd']],
    ],
    ['_field', 'host'],
  );
  const counts = tableFromColumns([
    ['n', 'int', [42]],
    ['ok', 'bool', [true]],
    ['label', 'string', ['ünïcødé ✓']],
  ]);

  it.each([1, 3, 7, 64, 4096])('in %i-byte chunks', async (chunkBytes) => {
    const rows = await clientRows(
      [
        { name: '_result', tables: streamOf([cpu, counts]) },
        { name: 'second', tables: streamOf([counts]) },
      ],
      chunkBytes,
    );
    expect(rows).toEqual([
      // Go's CRLF writer turns a newline inside a quoted cell into CRLF, and the client keeps it.
      { result: '_result', table: 0, _time: '2024-01-01T00:00:00.5Z', _value: 1.5, _field: 'usage', host: 'a,b "c"\r\nd' },
      { result: '_result', table: 0, _time: '2024-01-01T00:00:01Z', _value: null, _field: 'usage', host: 'a,b "c"\r\nd' },
      { result: '_result', table: 1, n: 42, ok: true, label: 'ünïcødé ✓' },
      { result: 'second', table: 0, n: 42, ok: true, label: 'ünïcødé ✓' },
    ]);
  });

  it('sees a mid-stream error as an error row', async () => {
    async function* failing(): AsyncIterable<never> {
      yield* [];
      throw new Error('runtime error: boom');
    }
    const rows = await clientRows(
      [
        { name: '_result', tables: streamOf([counts]) },
        { name: 'x', tables: failing() as never },
      ],
      16,
    );
    expect(rows.at(-1)).toEqual({ error: 'runtime error: boom', reference: '' });
  });
});
