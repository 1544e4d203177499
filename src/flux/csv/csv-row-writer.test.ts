import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCsvRecords } from './csv-record-reader.js';
import { CsvRowWriter } from './csv-row-writer.js';

describe('CsvRowWriter ↔ readCsvRecords', () => {
  const cell = fc.oneof(
    fc.string({ unit: fc.constantFrom('a', ',', ';', '"', '\n', '\r', ' ', '\t', 'é', '\\', '.') }),
    fc.string(),
  );
  it.each([',', ';', '\t'])('rows written with delimiter %j read back (CR dropped, CRLF read as LF)', (delimiter) => {
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const w = new CsvRowWriter(delimiter);
        const text = rows.map((r) => w.row(r)).join('');
        const back = readCsvRecords(text, delimiter).map((r) => r.cells);
        expect(back).toEqual(rows.map((r) => r.map((c) => c.replace(/\r/g, ''))));
      }),
      { numRuns: 500 },
    );
  });
});
